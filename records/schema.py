"""The comparison record of two models: typed parts, and pure builders from facts.

`build_record(a, b, documents, traffic)` takes what the warehouse knows about each model
(`ModelFacts`: reconciled specs with the sources that state them, capabilities, active routes,
conflicts) and derives everything else: figures, verdict, tradeoffs, switch friction, deep dive,
FAQ. Rules the text follows:
- a missing fact is "unknown" and no claim is built on it (no "cheaper" when a side has no price,
  no "larger context" when a side's context is unknown, a capability contrast needs Yes against No);
- each statement is made once per pair (switch friction is stated for moving A to B, not twice);
- arithmetic and formatting come from `records.figures` (exact Decimal).

A model's routes are its active offerings, one per provider and variant (the reconciled
`preferred` row). Its priced routes have both an input and an output price and are not a free
tier (the `free` variant, or $0 for both input and output, as trial endpoints list): free tiers
are rate-limited, so they are listed but never priced out as the cheapest route or a monthly
cost. Cheapest figures are among priced routes; ties list every provider at that price.
Decision-fit tags follow `DECISION_FIT_RULES` and need a sourced value: an unknown earns none.

Benchmarks (`scores`: each side's `BenchmarkScore`s): a row is shared only when both models have
the same benchmark and metric under a like harness and setting (`compare_key`); rows at other
settings are named, never compared (a thinking variant against a non-thinking one is said so).
Where a benchmark publishes intervals a gap leads only outside both; tradeoffs cite a benchmark
only for such a gap.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from records import figures as fig
from pipeline.reconcile import CAPABILITIES as CAPABILITY_NAMES

SCHEMA_VERSION = 1
T = TypeVar("T")

CAPABILITIES: dict[str, str] = {name: name.replace("_", " ") for name in CAPABILITY_NAMES}  # name -> label
LONG_CONTEXT_TOKENS = 128_000
RAG_CONTEXT_TOKENS = 32_000
DECISION_FIT_RULES: dict[str, str] = {
    "Long context": f"context window of at least {LONG_CONTEXT_TOKENS:,} tokens",
    "RAG": f"context window of at least {RAG_CONTEXT_TOKENS:,} tokens (room for retrieved passages)",
    "Agents": "function calling or tool use: Yes",
    "Vision": "vision: Yes",
    "Reasoning": "reasoning: Yes",
    "Structured output": "structured outputs: Yes",
    "Self-hosting": "open weights: Yes",
}
FREE_VARIANT = "free"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrafficProfile(_Part):
    """Monthly traffic priced out in the record; `input_share` weighs the blended price."""

    input_tokens_per_month: int = Field(100_000_000, ge=0)
    output_tokens_per_month: int = Field(30_000_000, ge=0)
    input_share: Decimal = Field(Decimal("0.7"), ge=0, le=1, decimal_places=4)

    @property
    def blend_label(self) -> str:
        """`70/30` for an input share of 0.7."""
        return _blend_label(self.input_share)


@lru_cache(maxsize=64)
def _blend_label(input_share: Decimal) -> str:
    share = input_share * 100
    return f"{fig.plain(share, 0)}/{fig.plain(100 - share, 0)}"


class Candidate(_Part):
    """One source's statement of a fact: its own value, where it says it and as of when."""

    source: str
    source_id: str | None = None
    value: str | None = None
    provider: str | None = None  # the source's provider key (models.dev 'kilo'); None: model-level
    copy_of: str | None = None  # the source this statement copies (pipeline/precedence.yaml derived)
    url: str | None = None
    as_of: str | None = None
    agrees: bool | None = None  # the published value within tolerance (None: not judged)
    exact: bool | None = None  # the published value itself: only these sources are cited for it

    @property
    def label(self) -> str:
        """`modelsdev (copy of openrouter)` for a copy, else the source."""
        return f"{self.source} (copy of {self.copy_of})" if self.copy_of else self.source


class Conflict(_Part):
    """A `conflicts` row of a model (entity = model id) or an offering (model@provider): sources
    disagree on a field (category disagreement), or a value was left out as implausible."""

    entity: str
    field: str
    candidates: list[Candidate]
    chosen: str | None
    chosen_source: str | None
    reason: str
    category: str | None = None  # disagreement, implausible (ambiguous_id rows name no model)

    @property
    def disagreement(self) -> bool:
        return self.category in (None, "disagreement")


def cited_sources(candidates: list[Candidate]) -> tuple[list[str], list[str]]:
    """Independent sources stating the value exactly, and copies stating it (as `label`s) whose
    source is not already cited for a statement of its own."""
    sources = sorted({c.source for c in candidates if c.exact and not c.copy_of})
    copies = sorted({c.label for c in candidates if c.exact and c.copy_of and c.source not in sources})
    return sources, copies


class Fact(_Part, Generic[T]):
    """One value with the sources that state it; None means no source states it (unknown).

    `sources` are the independent sources stating exactly this value (a copy is not one: see
    `copies`); `candidates` is every source's own statement, agreeing within tolerance or not."""

    value: T | None = None
    sources: list[str] = []
    copies: list[str] = []  # `modelsdev (copy of openrouter)`: copies stating the value, not witnesses
    disputed: bool = False  # a row in `conflicts` for this model and field: see ModelFacts.conflicts
    candidates: list[Candidate] = []

    @property
    def nearby(self) -> list[Candidate]:
        """Statements within tolerance of the value yet not the value itself (`litellm: 128,000`)."""
        return [c for c in self.candidates if c.agrees and not c.exact]


class Specs(_Part):
    release_date: Fact[date] = Fact[date]()
    context_window: Fact[int] = Fact[int]()
    max_output_tokens: Fact[int] = Fact[int]()
    params_total: Fact[int] = Fact[int]()
    params_active: Fact[int] = Fact[int]()
    architecture: Fact[str] = Fact[str]()
    license: Fact[str] = Fact[str]()
    knowledge_cutoff: Fact[str] = Fact[str]()
    open_weights: Fact[bool] = Fact[bool]()


class Capability(_Part):
    name: str
    value: Literal["yes", "no", "unknown"] = "unknown"
    source: str | None = None  # the source whose value was used
    sources: list[str] = []  # every independent source stating this value
    copies: list[str] = []  # copies stating it (`modelsdev (copy of openrouter)`), not counted as witnesses
    dissent: list[str] = []  # sources stating the opposite (a copy as a copy)
    disputed: bool = False  # a row in `conflicts` for this model and capability
    candidates: list[Candidate] = []  # every source's own statement


class Route(_Part):
    """An active offering: the model served by a provider, as one source lists it."""

    provider_id: str
    provider: str  # display name
    route: str
    source: str
    variant: str | None = None  # free, thinking, us, fp8...: NULL for the plain route
    input_usd_per_mtok: Decimal | None = None
    input_source: str | None = Field(None, exclude_if=lambda v: v is None)  # the source stating it when the listing does not
    output_usd_per_mtok: Decimal | None = None
    output_source: str | None = Field(None, exclude_if=lambda v: v is None)  # the source stating it when the listing does not
    cache_read_usd_per_mtok: Decimal | None = None
    cache_read_source: str | None = None  # the source stating the cached-input price when the listing does not
    context_window: int | None = None
    disputed: bool = False
    deprecating: bool = False  # a source states it is going away (offerings.status 'deprecating')
    retired_on: date | None = None  # the stated retirement date, still ahead; None when none is stated
    catalogue_only: bool = False  # only a price catalogue lists it, no route source (offerings.catalogue_only)

    @property
    def deprecation_note(self) -> str | None:
        """'deprecated, retires 2026-11-26' (or 'deprecated' with no date stated); None when active."""
        if not self.deprecating:
            return None
        return f"deprecated, retires {self.retired_on.isoformat()}" if self.retired_on else "deprecated"

    @property
    def free_tier(self) -> bool:
        """The free variant, or $0 for both input and output."""
        return self.variant == FREE_VARIANT or (self.input_usd_per_mtok == 0 and self.output_usd_per_mtok == 0)

    @property
    def priced(self) -> bool:
        """Usable for cheapest figures: both prices, and not a free tier."""
        return self.input_usd_per_mtok is not None and self.output_usd_per_mtok is not None and not self.free_tier


class ModelFacts(_Part):
    """What the warehouse holds about one canonical model."""

    model_id: str
    name: str
    vendor: str | None = None
    family: str | None = None
    specs: Specs = Specs()
    capabilities: list[Capability] = []  # one per name in CAPABILITIES, in that order
    routes: list[Route] = []
    conflicts: list[Conflict] = []
    contributing_sources: list[str] = []  # its aliases' and offerings' sources: what last_reviewed waits for

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> ModelFacts:
        """A copy; the lookups cached below are dropped so an update cannot leave them stale."""
        copy = super().model_copy(update=update, deep=deep)
        for cached in ("_capabilities", "capability_values", "_provider_names"):
            copy.__dict__.pop(cached, None)
        return copy

    @cached_property
    def _capabilities(self) -> dict[str, Capability]:
        return {c.name: c for c in self.capabilities}

    @cached_property
    def capability_values(self) -> dict[str, str]:
        """yes, no or unknown for every name in CAPABILITIES."""
        return {name: cap.value if (cap := self._capabilities.get(name)) else "unknown" for name in CAPABILITIES}

    @cached_property
    def _provider_names(self) -> dict[str, str]:
        return {r.provider_id: r.provider for r in reversed(self.routes)}

    def capability_detail(self, name: str) -> Capability | None:
        return self._capabilities.get(name)

    def capability(self, name: str) -> str:
        """yes, no or unknown."""
        cap = self._capabilities.get(name)
        return cap.value if cap else "unknown"

    def capabilities_with(self, value: str) -> list[str]:
        """Names in CAPABILITIES order whose value is `value` (yes, no or unknown)."""
        return [name for name, v in self.capability_values.items() if v == value]

    def provider_name(self, provider_id: str) -> str:
        return self._provider_names.get(provider_id, provider_id)


class SourceDocument(_Part):
    source: str
    url: str
    as_of: str | None = None
    fetched_at: datetime | None = None


class Cheapest(_Part):
    """A lowest figure among a model's priced routes, with every provider offering it."""

    usd: Decimal
    providers: list[str]  # provider ids, sorted


class SideFigures(_Part):
    """The scorecard column of one model; the `comparisons` row holds the same figures."""

    model_id: str
    decision_fit: list[str]
    context_window: int | None
    cheapest_input: Cheapest | None  # USD per million input tokens
    cheapest_output: Cheapest | None  # USD per million output tokens
    blended: Cheapest | None  # USD per million tokens at the traffic's input share
    monthly: Cheapest | None  # USD a month at the traffic profile, on one route
    routes: int  # distinct active (provider, route)
    providers: list[str]  # provider ids with an active route


class PriceComparison(_Part):
    """Relative price on the blended figure; every field None when a side has no price."""

    cheaper_model: str | None = None  # None: same price, or not comparable
    percent_cheaper: Decimal | None = None  # (higher - lower) / higher, one decimal
    times_as_much: Decimal | None = None  # higher / lower, one decimal; None when lower is free
    monthly_gap_usd: Decimal | None = None  # |monthly A - monthly B|
    comparable: bool = False


class OverlapPrice(_Part):
    """Both models' cheapest priced route on one shared provider."""

    provider_id: str
    provider: str
    a_input: Decimal | None
    a_output: Decimal | None
    b_input: Decimal | None
    b_output: Decimal | None


class SwitchFriction(_Part):
    """What moving traffic from model A to model B involves, stated once for the pair."""

    overlapping_providers: list[str]
    overlap_prices: list[OverlapPrice]
    only_a: list[str]  # capabilities A has (Yes) and B lacks (No)
    only_b: list[str]
    unknown_a: list[str]  # not sourced for A while B has them
    unknown_b: list[str]
    statements: list[str]


class BenchmarkScore(_Part):
    """One model's current score on one benchmark under one setting (warehouse view benchmark_scores)."""

    benchmark_id: str
    benchmark: str
    metric: str
    unit: str
    higher_is_better: bool = True
    significance: str = "none"      # interval: a gap counts only outside both intervals
    setting: str | None = None      # None: the default setting
    harness: str | None = None
    score: Decimal
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    evaluated_at: date | None = None
    as_of: str | None = None
    source: str
    url: str | None = None
    copy_of: str | None = None

    @property
    def compare_key(self) -> tuple:
        return self.benchmark_id, self.harness or "", self.setting or ""


class BenchmarkRow(_Part):
    """A row both models have: same benchmark and metric, like harness and setting."""

    benchmark_id: str
    benchmark: str
    metric: str
    unit: str
    harness: str | None = None
    setting_a: str | None = None
    setting_b: str | None = None
    score_a: Decimal
    score_b: Decimal
    ci_a: tuple[Decimal, Decimal] | None = None
    ci_b: tuple[Decimal, Decimal] | None = None
    difference: Decimal                 # score_a - score_b
    outside_intervals: bool | None      # None: the benchmark publishes no intervals
    leader: Literal["a", "b"] | None    # significant where intervals exist, else the better score
    as_of: str | None = None            # evaluation date, else the document's as-of
    source: str
    url: str | None = None


class Benchmarks(_Part):
    rows: list[BenchmarkRow] = []
    not_comparable: list[str] = []  # both evaluated, but under different settings or harnesses: never compared
    only_a: list[str] = []          # benchmarks only model A has a score on
    only_b: list[str] = []
    note: str = "No benchmark source states a score for both models: 0 shared rows."


class FaqEntry(_Part):
    question: str
    answer: str


class ProfileSide(_Part):
    """One model's monthly cost under a workload profile, on its cheapest route for it."""

    usd: Decimal | None = None  # None: unknown on every route
    providers: list[str] = []  # provider ids at that cost
    unknown: list[str] = []  # when unknown: what no route states (components, or the context window)


class ProfileCost(_Part):
    """A workload profile (pipeline/profiles.yaml) priced for both models."""

    name: str
    description: str
    assumptions: str
    service_tier: str
    a: ProfileSide
    b: ProfileSide
    gap_usd: Decimal | None = None  # |A - B| when both are known
    lower_model: str | None = None  # None: equal, or a side unknown


class ComparisonRecord(_Part):
    """Everything published about one pair of models, each fact traceable to its sources."""

    schema_version: Literal[1] = SCHEMA_VERSION
    title: str
    model_a: ModelFacts
    model_b: ModelFacts
    traffic: TrafficProfile
    side_a: SideFigures
    side_b: SideFigures
    price: PriceComparison
    verdict: str
    tradeoffs: list[str]
    switch_friction: SwitchFriction
    benchmarks: Benchmarks
    deep_dive: list[str]
    faq: list[FaqEntry]
    decision_fit_rules: dict[str, str] = Field(default_factory=lambda: dict(DECISION_FIT_RULES))
    sources: list[SourceDocument]
    last_reviewed: date | None = None
    profiles: list[ProfileCost] = []  # every workload profile; the headline's traffic is the default one
    # sources this page depends on that are stale at the data's as-of, and why (pipeline/sources.yaml);
    # left out of the JSON when none is
    stale_sources: dict[str, str] = {}


def json_schema() -> dict:
    """The JSON Schema of `ComparisonRecord` (exported to docs/comparison-record.schema.json)."""
    schema = ComparisonRecord.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


if __name__ == "__main__":  # python -m records.schema > docs/comparison-record.schema.json
    import json

    print(json.dumps(json_schema(), indent=2, sort_keys=True))
