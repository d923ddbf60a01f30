"""Costs of a model's routes from the warehouse: the price rows `offering_prices` prefers for each
route, priced by the one engine (`records.cost`).

A route is an active preferred offering (one per provider and variant). Its price rows are the
preferred current, in-force, all-day rows of that model, provider and variant, whichever source
states them. Its context windows are those its sources state: a prompt above every stated
window does not fit (the cost is unknown, saying so); a prompt above some of them only is priced,
and the disagreement is noted. A route whose sources state no window is bounded by the model's
(`models.context_window`); where neither is known, whether any prompt fits is unknown, and so is
the cost.

`write_route_profile_costs` prices every route under every workload profile once, into the table
the pair SQL reads: the rules live in the engine only.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pyarrow as pa

from records.cost import Cost, PriceRow, Profile, Usage, price, price_usd, profiles
from records.schema import ProfileSide

FREE_VARIANT = "free"


@dataclass
class RouteFacts:
    provider_id: str
    provider: str
    route: str
    source: str
    variant: str | None
    rows: list[PriceRow] = field(default_factory=list)
    context_windows: dict[str, int] = field(default_factory=dict)  # source -> the largest window it states
    model_context_window: int | None = None  # the model's: the bound where no source states the route's

    @property
    def pricing_key(self) -> tuple:
        """What a usage's cost on this route depends on (its prices and windows, not who states
        them): two routes with one key cost the same."""
        prices = sorted((r.component, r.service_tier, r.threshold_tokens, r.threshold_inclusive, r.usd_per_mtok)
                        for r in self.rows)
        return tuple(prices), tuple(sorted(self.context_windows.values())), self.model_context_window

    @property
    def free_tier(self) -> bool:
        base = {r.component: r.usd_per_mtok for r in self.rows if r.service_tier == "standard" and not r.threshold_tokens}
        return self.variant == FREE_VARIANT or (base.get("input") == 0 and base.get("output") == 0)


@dataclass
class RouteCost:
    facts: RouteFacts
    cost: Cost
    notes: list[str] = field(default_factory=list)

    @property
    def usd(self) -> Decimal | None:
        return self.cost.usd


ROUTES_SQL = """
SELECT o.model_id, o.provider_id, coalesce(p.name, o.provider_id), o.route, o.source, o.variant,
       (SELECT m.context_window FROM models m WHERE m.model_id = o.model_id) AS model_window,
       (SELECT list({'source': g.source, 'context_window': g.context_window} ORDER BY g.source)
        FROM offering_listings g WHERE g.active AND g.model_id = o.model_id AND g.provider_id = o.provider_id
          AND g.variant IS NOT DISTINCT FROM o.variant AND g.context_window IS NOT NULL) AS windows
FROM offering_listings o LEFT JOIN providers p USING (provider_id)
WHERE o.active AND coalesce(o.preferred, true) AND o.model_id IN (SELECT unnest($models))
  AND ($provider IS NULL OR o.provider_id = $provider)
ORDER BY o.model_id, lower(coalesce(p.name, o.provider_id)), o.route, o.source
"""

PRICES_SQL = """
SELECT model_id, provider_id, variant, component, service_tier, threshold_tokens, threshold_inclusive, usd_per_mtok,
       source, route
FROM route_price_rows()
WHERE model_id IN (SELECT unnest($models))
  AND ($provider IS NULL OR provider_id = $provider)
ORDER BY ALL
"""


def route_facts(con: duckdb.DuckDBPyConnection, model_id: str, provider_id: str | None = None) -> list[RouteFacts]:
    """The active routes of a model (optionally at one provider) with their price rows."""
    return routes_of(con, [model_id], provider_id).get(model_id, [])


def routes_of(con: duckdb.DuckDBPyConnection, model_ids: list[str],
              provider_id: str | None = None) -> dict[str, list[RouteFacts]]:
    """Route facts for many models in two queries."""
    params = {"models": sorted(set(model_ids)), "provider": provider_id}
    rows: dict[tuple[str, str, str | None], list[PriceRow]] = defaultdict(list)
    for model, provider, variant, component, tier, threshold, inclusive, usd, source, route in con.execute(
            PRICES_SQL, params).fetchall():
        rows[(model, provider, variant)].append(PriceRow(
            component=component, service_tier=tier, threshold_tokens=threshold, threshold_inclusive=inclusive,
            usd_per_mtok=usd, source=source, route=route))
    out: dict[str, list[RouteFacts]] = defaultdict(list)
    for model, provider, name, route, source, variant, model_window, windows in con.execute(
            ROUTES_SQL, params).fetchall():
        stated: dict[str, int] = {}
        for w in windows or []:  # a source listing the route twice: its larger window
            stated[w["source"]] = max(stated.get(w["source"], 0), w["context_window"])
        out[model].append(RouteFacts(provider_id=provider, provider=name, route=route, source=source, variant=variant,
                                     rows=rows.get((model, provider, variant), []), context_windows=stated,
                                     model_context_window=model_window))
    return out


def window_unknown(facts: RouteFacts, prompt_tokens: int) -> str | None:
    """Why a prompt of this size has no known cost on the route by its context windows (None: it fits)."""
    windows = facts.context_windows
    if not windows:
        bound = facts.model_context_window
        if bound is None:
            return ("context window unknown: no source states this route's or the model's, so whether "
                    f"a {prompt_tokens:,}-token prompt fits is unknown")
        if bound < prompt_tokens:
            return (f"context window: a {prompt_tokens:,}-token prompt is above the model's "
                    f"{bound:,}-token window (no source states this route's)")
        return None
    if all(w < prompt_tokens for w in windows.values()):
        stated = ", ".join(f"{w:,} ({s})" for s, w in sorted(windows.items()))
        return f"context window: a {prompt_tokens:,}-token prompt is above every window its sources state: {stated}"
    return None


def cost_route(facts: RouteFacts, usage: Usage) -> RouteCost:
    """The engine's cost for one route, with the context window checked against the prompt."""
    cost = price(facts.rows, usage)
    reason = window_unknown(facts, usage.input_tokens)
    if reason:
        return RouteCost(facts=facts, cost=cost.model_copy(
            update={"usd": None, "unknown_components": [*cost.unknown_components, reason]}))
    notes: list[str] = []
    below = {s: w for s, w in facts.context_windows.items() if w < usage.input_tokens}
    if below:
        fits = ", ".join(f"{s} {w:,}" for s, w in sorted(facts.context_windows.items()) if s not in below)
        short = ", ".join(f"{s} {w:,}" for s, w in sorted(below.items()))
        notes.append(f"context window disagreement: a {usage.input_tokens:,}-token prompt fits the window "
                     f"{fits} states, not the one {short} states")
    return RouteCost(facts=facts, cost=cost, notes=notes)


def route_usd(facts: RouteFacts, usage: Usage) -> Decimal | None:
    """`cost_route(facts, usage).usd` by the same rules, without the breakdown: for pricing in bulk."""
    return None if window_unknown(facts, usage.input_tokens) else price_usd(facts.rows, usage)


def route_costs(con: duckdb.DuckDBPyConnection, model_id: str, usage: Usage,
                provider_id: str | None = None) -> list[RouteCost]:
    return [cost_route(f, usage) for f in route_facts(con, model_id, provider_id)]


def cheapest_for(routes: list[RouteFacts], usage: Usage) -> tuple[Decimal | None, list[RouteCost], list[RouteCost]]:
    """(lowest known cost, the routes at it, every priced route's cost) among routes that are not a
    free tier: what a profile's monthly cost is."""
    costs = [cost_route(f, usage) for f in routes if not f.free_tier]
    known = [c for c in costs if c.usd is not None]
    if not known:
        return None, [], costs
    low = min(c.usd for c in known)
    return low, [c for c in known if c.usd == low], costs


def profile_sides(routes: list[RouteFacts], profile_list: list[Profile] | None = None) -> list[tuple[Profile, ProfileSide]]:
    """A model's monthly cost under each workload profile, on its cheapest route for that profile;
    when no route prices it, what the routes leave unknown (most frequent first, at most three)."""
    out = []
    for profile in profile_list if profile_list is not None else profiles().profiles:
        low, at, costs = cheapest_for(routes, profile.usage)
        if low is not None:
            out.append((profile, ProfileSide(usd=low, providers=sorted({c.facts.provider_id for c in at}))))
            continue
        missing = Counter(_reason(m) for c in costs for m in c.cost.unknown_components)
        reasons = [m for m, _ in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:3]] or ["no priced route"]
        out.append((profile, ProfileSide(unknown=reasons)))
    return out


def _reason(unknown: str) -> str:
    """A route's unknown component as a profile's short reason."""
    if unknown.startswith("context window unknown"):
        return "a stated context window"
    return "a context window that fits the prompt" if unknown.startswith("context window") else unknown


PROFILES_SQL = """
SELECT profile, requests_per_month, input_tokens_per_request, cache_read_tokens_per_request,
       output_tokens_per_request, service_tier
FROM comparison_profiles ORDER BY position
"""


def write_route_profile_costs(con: duckdb.DuckDBPyConnection, model_ids: list[str] | None = None) -> int:
    """The engine's monthly cost of every active preferred route that is not a free tier (optionally
    of these models only), under every profile in `comparison_profiles`, into the temp table
    `route_profile_costs` (model_id, provider_id, variant, profile, usd; usd NULL where unknown):
    one row per route and profile, which the pair SQL reads. Returns the row count."""
    usages = {name: Usage(input_tokens=prompt, cache_read_tokens=cached, output_tokens=output,
                          service_tier=tier, requests=requests)
              for name, requests, prompt, cached, output, tier in con.execute(PROFILES_SQL).fetchall()}
    if model_ids is None:
        model_ids = [m for m, in con.execute(
            "SELECT DISTINCT model_id FROM offering_listings WHERE active AND coalesce(preferred, true)").fetchall()]
    costs: dict[tuple[str, str, str | None, str], Decimal | None] = {}
    priced: set[tuple[str, str, str | None]] = set()  # a route several sources list has one set of rows
    by_key: dict[tuple, list[Decimal | None]] = {}  # resellers often list the same prices: priced once
    for model, routes in routes_of(con, model_ids).items():
        for facts in routes:
            route = (model, facts.provider_id, facts.variant)
            if facts.free_tier or route in priced:
                continue
            priced.add(route)
            key = facts.pricing_key
            if key not in by_key:
                by_key[key] = [route_usd(facts, usage) for usage in usages.values()]
            costs.update(((*route, name), usd) for name, usd in zip(usages, by_key[key]))
    keys = list(costs)
    columns = {name: pa.array([k[i] for k in keys], pa.string())
               for i, name in enumerate(("model_id", "provider_id", "variant", "profile"))}
    table = pa.table({**columns, "usd": pa.array([None if u is None else str(u) for u in costs.values()], pa.string())})
    con.register("_engine_route_profile_costs", table)
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE route_profile_costs AS
            SELECT model_id, provider_id, variant, profile, CAST(usd AS DECIMAL(38, 15)) AS usd
            FROM _engine_route_profile_costs""")
    finally:
        con.unregister("_engine_route_profile_costs")
    return len(keys)
