"""The cost engine: a route's price components and a usage in, an exact cost with its breakdown out.

Pure and exact (Decimal), and the only place the rules live (the pair table reads its figures):
- `input_tokens` is the whole prompt; `cache_read_tokens`, `cache_write_tokens` (the default,
  5-minute write) and `cache_write_1h_tokens` are parts of it; the rest is uncached input.
  `output_tokens` include reasoning tokens. Each part is priced at its own component
  (input, cache_read, cache_write_5m, cache_write_1h, output) at the usage's service tier.
- Tiers are cliffs picked by the whole prompt: the tier in force is the highest threshold any
  component of the route states at that service tier that the prompt passes, at the row's own
  convention (strictly above it, or from it on when `threshold_inclusive`); every token of the
  request then pays that tier's price.
- A part with tokens whose component the route does not state at that service tier and tier is
  unknown, and so is the cost: it is never priced as 0, at the standard tier, or at a lower tier.
- A route that offers no caching (none of its rows, at any tier, prices a cache component)
  bills cached tokens as plain input: each cache part is priced at the input row of its tier,
  and the breakdown line says so. A route that prices caching somewhere but not at the tier in
  force leaves the part unknown, as above.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.observation import ServiceTier

MILLION = Decimal(1_000_000)
PARTS = ("input", "cache_read", "cache_write_5m", "cache_write_1h", "output")  # the components a usage needs


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PriceRow(_Frozen):
    """One price component of a route (an `offering_prices` row the engine uses)."""

    component: str
    service_tier: ServiceTier = "standard"
    threshold_tokens: int = Field(0, ge=0)
    threshold_inclusive: bool = False
    usd_per_mtok: Decimal
    source: str | None = None
    route: str | None = None

    def applies(self, prompt_tokens: int) -> bool:
        """Whether the prompt reaches this row's tier (the base applies to any prompt)."""
        if self.threshold_tokens == 0:
            return True
        return prompt_tokens >= self.threshold_tokens if self.threshold_inclusive else prompt_tokens > self.threshold_tokens


class Usage(_Frozen):
    """One request, or a month of them (`requests` times the per-request counts)."""

    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(0, ge=0)
    cache_read_tokens: int = Field(0, ge=0)
    cache_write_tokens: int = Field(0, ge=0)
    cache_write_1h_tokens: int = Field(0, ge=0)
    service_tier: ServiceTier = "standard"
    requests: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _parts_fit(self) -> Usage:
        cached = self.cache_read_tokens + self.cache_write_tokens + self.cache_write_1h_tokens
        if cached > self.input_tokens:
            raise ValueError(f"cache read and write tokens ({cached:,}) are part of the prompt and cannot exceed "
                             f"its {self.input_tokens:,} input tokens")
        return self

    def part_tokens(self) -> dict[str, int]:
        """Tokens per component, per request."""
        return {"input": self.input_tokens - self.cache_read_tokens - self.cache_write_tokens - self.cache_write_1h_tokens,
                "cache_read": self.cache_read_tokens, "cache_write_5m": self.cache_write_tokens,
                "cache_write_1h": self.cache_write_1h_tokens, "output": self.output_tokens}


class Tier(_Frozen):
    """The prompt tier applied: a threshold with its convention (threshold 0: the base prices)."""

    threshold_tokens: int
    inclusive: bool = False

    @property
    def label(self) -> str:
        if not self.threshold_tokens:
            return "base"
        return f"{'from' if self.inclusive else 'above'} {self.threshold_tokens:,} prompt tokens"


class Line(_Frozen):
    """One priced part of the cost."""

    component: str
    tokens: int  # for all requests
    usd_per_mtok: Decimal
    usd: Decimal
    source: str | None = None
    route: str | None = None
    note: str | None = None  # e.g. a cache part billed as input on a route that offers no caching


NO_CACHING = "billed as input: no source states that this route offers caching"


def offers_caching(rows: Iterable[PriceRow]) -> bool:
    """Whether any row of the route prices a cache component (at any tier or service tier)."""
    return any(r.component.startswith("cache") for r in rows)


class Cost(_Frozen):
    """A cost, or unknown (usd None) with the components no source states."""

    usd: Decimal | None
    service_tier: ServiceTier
    tier: Tier
    breakdown: list[Line]
    unknown_components: list[str] = []

    @property
    def known(self) -> bool:
        return self.usd is not None


def missing_label(component: str, service_tier: str, tier: Tier) -> str:
    """`cache_read (batch, above 200,000 prompt tokens)`: a component the route does not state."""
    where = [service_tier] if service_tier != "standard" else []
    if tier.threshold_tokens:
        where.append(tier.label)
    return f"{component} ({', '.join(where)})" if where else component


def _parts(rows: Iterable[PriceRow], usage: Usage) -> tuple[PriceRow | None, list[tuple[str, int, PriceRow | None, str | None]]]:
    """The rules: the top row of the tier in force (None: the base), and per part with tokens
    (component, tokens for all requests, the row pricing it or None when unstated, a note)."""
    rows = list(rows)
    caching = offers_caching(rows)
    at_tier = [r for r in rows if r.service_tier == usage.service_tier]
    reached = [r for r in at_tier if r.applies(usage.input_tokens)]
    top = max(reached, key=lambda r: r.threshold_tokens, default=None)
    threshold = top.threshold_tokens if top else 0
    chosen = {r.component: r for r in at_tier if r.threshold_tokens == threshold}
    parts = []
    for component, tokens in usage.part_tokens().items():
        if not tokens:
            continue
        row, note = chosen.get(component), None
        if row is None and component.startswith("cache") and not caching:
            row, note = chosen.get("input"), NO_CACHING
        parts.append((component, tokens * usage.requests, row, note))
    return top, parts


def price(rows: Iterable[PriceRow], usage: Usage) -> Cost:
    """The cost of `usage` on a route with these price rows (one per component, service tier
    and threshold: the preferred ones)."""
    top, parts = _parts(rows, usage)
    tier = Tier(threshold_tokens=top.threshold_tokens, inclusive=top.threshold_inclusive) if top else Tier(threshold_tokens=0)
    lines: list[Line] = []
    unknown: list[str] = []
    for component, total, row, note in parts:
        if row is None:
            unknown.append(missing_label(component, usage.service_tier, tier))
            continue
        lines.append(Line(component=component, tokens=total, usd_per_mtok=row.usd_per_mtok,
                          usd=row.usd_per_mtok * total / MILLION, source=row.source, route=row.route, note=note))
    usd = None if unknown else sum((line.usd for line in lines), Decimal(0))
    return Cost(usd=usd, service_tier=usage.service_tier, tier=tier, breakdown=lines, unknown_components=unknown)


def price_usd(rows: Iterable[PriceRow], usage: Usage) -> Decimal | None:
    """`price(rows, usage).usd` by the same rules, without the breakdown: for pricing in bulk."""
    _, parts = _parts(rows, usage)
    if any(row is None for _, _, row, _ in parts):
        return None
    return sum((row.usd_per_mtok * total / MILLION for _, total, row, _ in parts), Decimal(0))


class Profile(_Frozen):
    """A named workload (pipeline/profiles.yaml): a month of requests of one shape."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    description: str
    requests_per_month: int = Field(ge=1)
    input_tokens_per_request: int = Field(ge=1)
    cached_share: Decimal = Field(Decimal(0), ge=0, le=1)  # of the prompt, read from cache
    output_tokens_per_request: int = Field(ge=0)
    service_tier: ServiceTier = "standard"

    @model_validator(mode="after")
    def _whole_tokens(self) -> Profile:
        cached = self.input_tokens_per_request * self.cached_share
        if cached != cached.to_integral_value():
            raise ValueError(f"cached_share {self.cached_share} of {self.input_tokens_per_request} input tokens "
                             "is not a whole number of tokens")
        return self

    @property
    def usage(self) -> Usage:
        return Usage(input_tokens=self.input_tokens_per_request, output_tokens=self.output_tokens_per_request,
                     cache_read_tokens=int(self.input_tokens_per_request * self.cached_share),
                     service_tier=self.service_tier, requests=self.requests_per_month)

    @property
    def assumptions(self) -> str:
        """One line: `100,000 requests a month of 1,000 input tokens (0% cached) and 300 output, standard tier`."""
        return (f"{self.requests_per_month:,} requests a month of {self.input_tokens_per_request:,} input tokens "
                f"({self.cached_share * 100:.0f}% read from cache) and {self.output_tokens_per_request:,} output "
                f"tokens, {self.service_tier} tier")


class ProfileFile(_Frozen):
    """Schema of `pipeline/profiles.yaml`."""

    default: str
    profiles: list[Profile] = Field(min_length=1)

    @model_validator(mode="after")
    def _names(self) -> ProfileFile:
        names = [p.name for p in self.profiles]
        if len(set(names)) != len(names):
            raise ValueError(f"profile names repeat: {sorted(n for n in set(names) if names.count(n) > 1)}")
        if self.default not in names:
            raise ValueError(f"default {self.default!r} is not a profile: {names}")
        return self


@cache
def profiles() -> ProfileFile:
    """The curated workload profiles."""
    from pipeline import curated

    return curated.load("profiles.yaml", ProfileFile)
