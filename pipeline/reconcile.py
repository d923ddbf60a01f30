"""Reconciliation rules, pure: which source wins a field, when two values are the same, and when a
price takes effect. The warehouse applies them in SQL (`warehouse/sql/reconcile/`); the rows this
module builds from `precedence.yaml` are what that SQL joins to.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline import curated
from pipeline.observation import field_specs

Class = Literal["card", "vendor", "catalogue", "aggregator", "provider"]
Kind = Literal["tokens", "parameters", "usd_per_mtok", "month", "text", "exact"]
CAPABILITIES = ("vision", "multimodal_input", "function_calling", "tool_use", "structured_outputs",
                "reasoning", "code_execution")
MODEL_COLUMNS = ("name", "family", "release_date", "context_window", "max_output_tokens", "params_total",
                 "params_active", "architecture", "license", "knowledge_cutoff", "open_weights",
                 "input_modalities", "output_modalities", "hugging_face_id")


class FieldRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order: list[Class] = Field(min_length=1)
    fallback: list[Class] = []
    conflicts: bool = True
    from_: list[str] | None = Field(default=None, alias="from")
    # deciding classes whose exact-id statement beyond tolerance of the chosen value, from another
    # independent source, leaves the column unknown (the dispute is shown, not settled by order)
    disputed_by: list[Class] = []
    # a date on the 1st of a month that a provider dates to another day of that month is the month
    # only: the day, so the column, is unknown
    day_one_is_month: bool = False

    @model_validator(mode="after")
    def _disjoint(self) -> FieldRule:
        both = set(self.order) & set(self.fallback)
        if both:
            raise ValueError(f"{sorted(both)} listed in both order and fallback")
        if set(self.disputed_by) - set(self.order):
            raise ValueError(f"disputed_by {sorted(set(self.disputed_by) - set(self.order))} are not in order")
        unknown = [f for f in self.from_ or [] if f not in field_specs()]
        if unknown:
            raise ValueError(f"{unknown} are not fields of pipeline/fields.yaml")
        return self


class OfferingRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order: list[str] = Field(min_length=1)
    conflicts: list[str]
    route_sources: list[str] = Field(min_length=1)  # sources whose listing says a provider serves the route


class Tolerance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    relative: Decimal = Decimal(0)
    absolute: Decimal = Decimal(0)
    binary_prefix: bool = False


class Derivation(BaseModel):
    """A source whose rows (under one of its provider keys) copy another source's statements."""

    model_config = ConfigDict(extra="forbid")
    source: str
    provider: str | None = None  # the copying source's provider key; None: its model-level rows
    copies: str
    why: str = Field(min_length=1)
    fields: list[str] | None = None  # observed fields copied; None: every field

    @model_validator(mode="after")
    def _known_fields(self) -> Derivation:
        unknown = [f for f in self.fields or [] if f not in field_specs()]
        if unknown:
            raise ValueError(f"{unknown} are not fields of pipeline/fields.yaml")
        if self.copies == self.source:
            raise ValueError(f"{self.source} cannot copy itself")
        return self


class Audit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stale_after_days: int = Field(180, ge=1)


class Precedence(BaseModel):
    """Schema of `pipeline/precedence.yaml`."""

    model_config = ConfigDict(extra="forbid")
    sources: list[str]
    derived: list[Derivation] = []
    models: dict[Literal[MODEL_COLUMNS], FieldRule]  # type: ignore[valid-type]
    capabilities: dict[Literal[CAPABILITIES], FieldRule]  # type: ignore[valid-type]
    offerings: OfferingRule
    tolerance: dict[Kind, Tolerance]
    plausibility: list[Literal["cache_read_above_input", "output_above_context"]]
    audit: Audit = Audit()

    @model_validator(mode="after")
    def _complete(self) -> Precedence:
        missing = [c for c in MODEL_COLUMNS if c not in self.models] + \
                  [c for c in CAPABILITIES if c not in self.capabilities]
        if missing:
            raise ValueError(f"no rule for {missing}")
        unknown = sorted({s for d in self.derived for s in (d.source, d.copies)} - set(self.sources)) + \
            sorted(set(self.offerings.route_sources) - set(self.sources))
        if unknown:
            raise ValueError(f"derived or route_sources name sources not in `sources`: {unknown}")
        keys = [(d.source, d.provider, f) for d in self.derived for f in d.fields or [None]]
        if len(keys) != len(set(keys)):
            raise ValueError("derived declares one source's provider and field twice")
        return self


@cache
def precedence() -> Precedence:
    return curated.load("precedence.yaml", Precedence)


def kind(field: str) -> Kind:
    """How values of an observed field are compared (see `tolerance` in precedence.yaml)."""
    spec = field_specs()[field]
    if spec.unit in ("tokens", "parameters", "usd_per_mtok"):
        return spec.unit  # type: ignore[return-value]
    if field == "knowledge_cutoff":
        return "month"
    return "text" if spec.type == "text" else "exact"


def field_rule_rows(rules: Precedence | None = None) -> list[dict]:
    """One row per (target, column, observed field, class): what the reconcile SQL joins to.

    `rank` orders candidates (classes in `order`, then `fallback`); `decides` is false for a
    fallback class (whose disagreement is still a conflict where the field has conflicts);
    `field_rank` orders the `from` fields a source may state several of; `disputes` marks a class
    of `disputed_by`, `day_one_is_month` the column's date rule.
    """
    rules = rules or precedence()
    rows = []
    for target, table in (("model", rules.models), ("capability", rules.capabilities)):
        for column, rule in table.items():
            fields = rule.from_ or [column]
            for field_rank, field in enumerate(fields):
                for rank, cls in enumerate([*rule.order, *rule.fallback]):
                    rows.append({"target": target, "column_name": column, "field": field, "kind": kind(field),
                                 "class": cls, "rank": rank, "decides": cls in rule.order,
                                 "conflicts": rule.conflicts, "field_rank": field_rank,
                                 "order_text": " > ".join(rule.order), "disputes": cls in rule.disputed_by,
                                 "day_one_is_month": rule.day_one_is_month})
    return rows


def derived_rows(rules: Precedence | None = None) -> list[dict]:
    """One row per copied (source, provider key, observed field); field None: every field."""
    rules = rules or precedence()
    return [{"source": d.source, "provider": d.provider, "copies": d.copies, "field": f}
            for d in rules.derived for f in (d.fields or [None])]


def witness(source: str, provider: str | None, field: str, rules: Precedence | None = None) -> str:
    """The independent source an observation speaks for: the source it copies, else its own."""
    for d in (rules or precedence()).derived:
        if d.source == source and d.provider == provider and (d.fields is None or field in d.fields):
            return d.copies
    return source


def tolerance_rows(rules: Precedence | None = None) -> list[dict]:
    rules = rules or precedence()
    return [{"kind": k, "relative": float(t.relative), "absolute": float(t.absolute), "binary_prefix": t.binary_prefix}
            for k, t in rules.tolerance.items()]


def source_rank_rows(rules: Precedence | None = None) -> list[dict]:
    """Tie-break order of sources within a class, and the offering order for `preferred`."""
    rules = rules or precedence()
    offering = {s: i for i, s in enumerate(rules.offerings.order)}
    return [{"source": s, "source_rank": i, "offering_rank": offering.get(s, len(offering)),
             "in_offering_order": s in offering, "lists_routes": s in rules.offerings.route_sources}
            for i, s in enumerate(rules.sources)]


def equivalent(kind: Kind, a: object, b: object, tolerance: Tolerance | None = None) -> bool:
    """Whether two values of one kind are the same fact (the reference the SQL macro follows)."""
    t = tolerance or precedence().tolerance.get(kind, Tolerance())
    if a is None or b is None:
        return a is b
    if kind in ("tokens", "parameters", "usd_per_mtok"):
        x, y = Decimal(str(a)), Decimal(str(b))
        if abs(x - y) <= t.relative * max(abs(x), abs(y)) + t.absolute:
            return True
        return t.binary_prefix and (_binary_prefix(x, y) or _binary_prefix(y, x))
    if kind == "month":
        x, y = str(a), str(b)
        return x.startswith(y) or y.startswith(x)
    if kind == "text":
        return str(a).strip().lower() == str(b).strip().lower()
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return sorted(a) == sorted(b)
    return a == b


def _binary_prefix(decimal: Decimal, binary: Decimal) -> bool:
    """`decimal` is n x 1000^k and `binary` is n x 1024^k ('128K' both ways), for k = 1, 2, 3."""
    return any(decimal % 1000 ** k == 0 and binary == decimal / 1000 ** k * 1024 ** k for k in (1, 2, 3))


def valid_from(as_of: str | None, fetched_at: datetime, data_date: datetime | None = None) -> datetime:
    """When a document's facts took effect (the data's date, never the calendar's): its as-of when
    that reads as a timestamp (models.dev and genai-prices state one); else, in a replay, the
    snapshot's date (`data_date`: the newest timestamp as-of among its documents), else when it
    was fetched (LiteLLM's as-of is a release name)."""
    parsed = as_timestamp(as_of, fetched_at.tzinfo)
    return parsed or data_date or fetched_at


def as_timestamp(as_of: str | None, tz=None) -> datetime | None:
    """An as-of as a timestamp, or None when it is not one (a version label); a date is its midnight
    (in `tz`, else UTC, when the text names no offset)."""
    if not as_of:
        return None
    try:
        parsed = datetime.fromisoformat(as_of.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz or timezone.utc)
