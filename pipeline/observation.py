"""Typed facts with provenance: the unit every source is normalized into."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, field_validator, model_validator

from pipeline import curated

MONTH = re.compile(r"\d{4}-\d{2}")
Value = Decimal | int | bool | date | str | tuple[str, ...]
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")   # C0, DEL and C1: never part of an id or a name
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # free text may keep tabs and line breaks
NAMES = frozenset({"name", "vendor", "family", "hugging_face_id", "base_model"})  # text fields that name something


def check_controls(text: str, what: str, pattern: re.Pattern = CONTROL) -> str:
    """`text` unchanged, or ValueError naming `what` and the first control character it holds."""
    found = pattern.search(text)
    if found:
        raise ValueError(f"{what} holds the control character U+{ord(found.group()):04X} at position {found.start()}")
    return text


class FieldSpec(BaseModel):
    """One entry of `fields.yaml`."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["decimal", "int", "bool", "date", "text", "list"]
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    places: int | None = None  # decimal places kept (rounded half-even); float artifacts beyond are noise
    doc: str | None = None


class FieldsFile(RootModel[dict[str, FieldSpec]]):
    """Schema of `pipeline/fields.yaml`: each field's name and its spec."""


@cache
def field_specs() -> dict[str, FieldSpec]:
    return curated.load("fields.yaml", FieldsFile).root


class Document(BaseModel):
    """A fetched payload as it landed: the provenance every observation carries."""

    source: str
    url: str
    fetched_at: datetime
    status: int = 200
    content_type: str | None = None
    as_of: str | None = None
    data_date: datetime | None = None  # a replayed snapshot's date (None in a live crawl)
    sha256: str
    body: bytes = b""

    def provenance(self) -> dict:
        """The fields of `Stated` that name this document."""
        return {"source": self.source, "url": self.url, "fetched_at": self.fetched_at, "as_of": self.as_of,
                "document_sha256": self.sha256}

    def json(self) -> object:
        """The body parsed as JSON, or a SourceError naming the source and URL (nesting deeper than
        the parser's recursion limit included)."""
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise SourceError(self.source, self.url, f"invalid JSON: {exc}") from exc
        except RecursionError:
            raise SourceError(self.source, self.url, "invalid JSON: nested too deeply to parse") from None

    def yaml(self) -> object:
        """The body parsed as YAML without aliases (`payload_yaml`), or a SourceError naming the
        source and URL."""
        try:
            return payload_yaml(self.body)
        except yaml.YAMLError as exc:
            raise SourceError(self.source, self.url, f"invalid YAML: {exc}") from None
        except RecursionError:
            raise SourceError(self.source, self.url, "invalid YAML: nested too deeply to parse") from None


YAML_MAX_DEPTH = 100


def payload_yaml(text: str | bytes) -> object:
    """A fetched payload's YAML, safe-loaded; an alias, or nesting deeper than YAML_MAX_DEPTH, is a
    YAMLError naming its line. A payload has no use for aliases, and nested ones expand without bound
    (a 1 KB "billion laughs" grows to gigabytes); deep nesting overflows the C loader's stack."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem=f"alias *{event.anchor}: aliases are not accepted",
                                       problem_mark=event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > YAML_MAX_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"nested deeper than {YAML_MAX_DEPTH} levels",
                                           problem_mark=event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(text, Loader=loader)


class SourceError(Exception):
    """A whole document is unusable (bad JSON, wrong shape, an error page)."""

    def __init__(self, source: str, url: str, reason: str):
        super().__init__(f"{source}: {url}: {reason}")
        self.source, self.url, self.reason = source, url, reason


def _coerce(spec: FieldSpec, value: object, name: str | None = None) -> Value:
    if isinstance(value, float):  # floats are converted through their shortest repr
        value = repr(value)
    if spec.type in ("decimal", "int"):
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        if spec.min is not None and number < spec.min:
            raise ValueError(f"{number} is below the plausible minimum {spec.min}")
        if spec.max is not None and number > spec.max:
            raise ValueError(f"{number} is above the plausible maximum {spec.max}")
        if spec.type == "int":
            if number != number.to_integral_value():
                raise ValueError(f"expected a whole number, got {value!r}")
            return int(number)
        if spec.places is not None:
            kept = number.quantize(Decimal(1).scaleb(-spec.places))
            if kept == 0 and number != 0:  # stored as 0 it would read as free
                raise ValueError(f"{number.normalize()} is not zero but rounds to zero at {spec.places} decimal places")
            number = kept
        number = number.normalize()
        return number.quantize(Decimal(1)) if number.as_tuple().exponent > 0 else number
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if spec.type == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ValueError(f"not a date: {value!r}") from None
    if spec.type == "list":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of strings, got {value!r}")
        return tuple(sorted(set(check_controls(v, "a list item") for v in value)))
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected non-empty text, got {value!r}")
    return check_controls(value.strip(), name or "the text", CONTROL if name in NAMES else TEXT_CONTROL)


TOKEN_COMPONENTS = ("input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "input_audio", "output_audio",
                    "cache_read_audio", "input_image", "output_image", "input_video", "output_video", "output_reasoning")
# Prices per unit that is not a token (`price_usd_per_unit`): the name says of what and per what. They
# are shown in their unit and never enter token prices, costs or comparisons.
UNIT_COMPONENTS = ("input_per_character", "output_per_character", "input_per_image", "output_per_image",
                   "input_per_second", "output_per_second", "input_audio_per_second", "input_video_per_second",
                   "output_video_per_second")
COMPONENTS = TOKEN_COMPONENTS + UNIT_COMPONENTS
SERVICE_TIERS = ("standard", "batch", "flex", "priority")
Component = Literal[COMPONENTS]  # type: ignore[valid-type]
ServiceTier = Literal[SERVICE_TIERS]  # type: ignore[valid-type]


class PriceKey(BaseModel):
    """What a `price_usd_per_mtok` observation prices: a component at a service tier, from a prompt
    size on (a cliff: past the threshold every token of the request pays it), maybe only on some
    dates or hours. `threshold_inclusive`: the tier applies from exactly `threshold_tokens` prompt
    tokens on (else strictly above it, the usual convention). `in_force`: the price the source
    states for its as-of date (false for a past or upcoming price of a stated history)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    component: Component
    service_tier: ServiceTier = "standard"
    threshold_tokens: int = Field(0, ge=0)
    threshold_inclusive: bool = False
    starts_on: date | None = None
    ends_on: date | None = None
    hours: str | None = None  # a daily window, e.g. '00:30-16:30 UTC' (off-peak prices)
    in_force: bool = True


class Stated(BaseModel):
    """What every statement carries: its source, the document it came from (`Document.provenance`)
    and the source's own id for the model it is about."""

    model_config = ConfigDict(frozen=True)
    source: str
    url: str
    fetched_at: datetime
    as_of: str | None = None
    document_sha256: str
    model_id: str = Field(min_length=1)   # the source's own id

    @field_validator("model_id")
    @classmethod
    def _id_has_no_controls(cls, value: str) -> str:
        return check_controls(value, "model_id")


class Observation(Stated):
    """One fact one source stated about one subject, typed and bounded by `fields.yaml`."""

    provider_id: str | None = None
    field: str
    value: Value
    unit: str | None = None
    note: str | None = None
    price: PriceKey | None = None  # set exactly for the price fields (price_usd_per_mtok, price_usd_per_unit)

    @field_validator("provider_id")
    @classmethod
    def _provider_has_no_controls(cls, value: str | None) -> str | None:
        return value if value is None else check_controls(value, "provider_id")

    @model_validator(mode="before")
    @classmethod
    def _typed(cls, data: dict) -> dict:
        spec = field_specs().get(data.get("field"))
        if spec is None:
            raise ValueError(f"unknown field {data.get('field')!r}")
        price = data.get("price")
        if (data.get("field") in PRICE_FIELDS) != (price is not None):
            raise ValueError("price_usd_per_mtok and price_usd_per_unit, and only they, carry a price key")
        component = price.get("component") if isinstance(price, dict) else getattr(price, "component", None)
        if price is not None and (component in UNIT_COMPONENTS) != (data["field"] == "price_usd_per_unit"):
            raise ValueError(f"{component} is not a component of {data['field']}")
        return {**data, "value": _coerce(spec, data.get("value"), data.get("field")), "unit": spec.unit}


class Rejection(BaseModel):
    """A value that failed validation: kept with its reason, never silently dropped."""

    source: str
    url: str
    fetched_at: datetime
    document_sha256: str
    model_id: str | None
    provider_id: str | None
    field: str | None
    raw_value: str | None
    reason: str


class Extraction:
    """Collects a document's observations and rejections; extractors call `add`."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.observations: list[Observation] = []
        self.rejections: list[Rejection] = []
        self.benchmarks: list[BenchmarkResult] = []

    def add_benchmark(self, model_id: str, benchmark, score: object, raw_name: str | None = None, **details) -> None:
        """Record one benchmark score (`benchmark`: a `pipeline.benchmarks.Benchmark`, None when
        the row names no curated benchmark); a bad row is rejected with its reason."""
        field = f"benchmark:{benchmark.benchmark_id if benchmark else raw_name}"
        if benchmark is None:
            self.reject(model_id, None, field, score, f"benchmark {raw_name} is not in pipeline/benchmarks.yaml")
            return
        try:
            self.benchmarks.append(benchmark_result(self.doc, model_id, benchmark, score, **details))
        except ValidationError as exc:
            self.reject(model_id, None, field, score,
                        "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()))
        except ValueError as exc:
            self.reject(model_id, None, field, score, str(exc).removeprefix("Value error, "))

    @property
    def usable(self) -> int:
        return len(self.observations) + len(self.benchmarks)

    def add(self, model_id: str, provider_id: str | None, field: str, value: object, note: str | None = None,
            price: PriceKey | None = None) -> None:
        """Record one fact; None means the source said nothing, and is skipped."""
        if value is None:
            return
        if isinstance(value, str) and MONTH.fullmatch(value) and field_specs().get(field, FieldSpec(type="text")).type == "date":
            value, note = f"{value}-01", f"month precision: the source states {value}"
        doc = self.doc
        try:
            self.observations.append(Observation(**doc.provenance(), model_id=model_id, provider_id=provider_id,
                                                 field=field, value=value, note=note, price=price))
        except ValidationError as exc:
            self.reject(model_id, provider_id, field if price is None else f"{field}[{_describe(price)}]", value,
                        "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()))

    def reject(self, model_id: str | None, provider_id: str | None, field: str | None, value: object, reason: str) -> None:
        doc = self.doc
        self.rejections.append(Rejection(
            source=doc.source, url=doc.url, fetched_at=doc.fetched_at, document_sha256=doc.sha256,
            model_id=model_id, provider_id=provider_id, field=field,
            raw_value=None if value is None else str(value)[:500], reason=reason))


class BenchmarkResult(Stated):
    """One score one source states for one model on one benchmark (`pipeline/benchmarks.yaml`),
    under one setting (reasoning effort, thinking budget, edit format: None is the default)."""

    benchmark_id: str
    setting: str | None = None
    harness: str | None = None
    score: Decimal
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    sample_size: int | None = None
    evaluated_at: date | None = None
    result_url: str | None = None          # where the source says the score was published
    source_row: str | None = None          # the source's key for the row (an Aider run's dirname)
    note: str | None = None

    @field_validator("setting", "harness", "source_row", "result_url")
    @classmethod
    def _names_have_no_controls(cls, value: str | None, info) -> str | None:
        return value if value is None else check_controls(value, info.field_name)


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{what} is not a number: {value!r}")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{what} is not a finite number: {value!r}")
    return number.quantize(Decimal("1e-6")).normalize() if number.as_tuple().exponent < -6 else number


def benchmark_result(doc: Document, model_id: str, benchmark, score: object, *, ci_low: object = None,
                     ci_high: object = None, setting: str | None = None, harness: str | None = None,
                     sample_size: object = None, evaluated_at: object = None, result_url: str | None = None,
                     source_row: str | None = None, note: str | None = None) -> BenchmarkResult:
    """A checked BenchmarkResult, or ValueError with the reason: a score that is not a number or
    is outside the metric's range, an interval that does not contain its score."""
    value = _decimal(score, "score")
    if not benchmark.min <= value <= benchmark.max:
        raise ValueError(f"score {value} is outside {benchmark.benchmark_id}'s range "
                         f"[{benchmark.min}, {benchmark.max}] ({benchmark.unit})")
    low = None if ci_low is None else _decimal(ci_low, "interval low")
    high = None if ci_high is None else _decimal(ci_high, "interval high")
    if (low is None) != (high is None):
        raise ValueError("an interval needs both ends")
    if low is not None and not low <= value <= high:
        raise ValueError(f"interval [{low}, {high}] does not contain the score {value}")
    size = None
    if sample_size is not None:
        size = _decimal(sample_size, "sample size")
        if size != size.to_integral_value() or size < 1:
            raise ValueError(f"sample size is not a positive whole number: {sample_size!r}")
        size = int(size)
    when = None
    if evaluated_at is not None:
        try:
            when = evaluated_at if isinstance(evaluated_at, date) else date.fromisoformat(str(evaluated_at)[:10])
        except ValueError:
            raise ValueError(f"not a date: {evaluated_at!r}") from None
    return BenchmarkResult(**doc.provenance(), model_id=model_id, benchmark_id=benchmark.benchmark_id,
                           setting=setting or None, harness=harness or None, score=value, ci_low=low,
                           ci_high=high, sample_size=size, evaluated_at=when, result_url=result_url,
                           source_row=source_row, note=note)


PRICE_FIELDS = ("price_usd_per_mtok", "price_usd_per_unit")


def add_unit_price(out: Extraction, model_id: str, provider_id: str | None, value: object, component: str) -> None:
    """Record one price per non-token unit (a `UNIT_COMPONENTS` name); None is skipped."""
    out.add(model_id, provider_id, "price_usd_per_unit", value, price=PriceKey(component=component))


def add_price(out: Extraction, model_id: str, provider_id: str | None, value: object, note: str | None = None,
              **key: object) -> None:
    """Record one price component (`PriceKey` fields as keywords); None is skipped."""
    out.add(model_id, provider_id, "price_usd_per_mtok", value, note=note, price=PriceKey(**key))


def _describe(key: PriceKey) -> str:
    """`input batch >200000`: a price key for a rejection's field."""
    above = f" {'>=' if key.threshold_inclusive else '>'}{key.threshold_tokens}" if key.threshold_tokens else ""
    return f"{key.component} {key.service_tier}{above}"
