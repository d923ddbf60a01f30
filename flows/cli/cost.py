"""`versus cost`: what one request (or, with --profile, a month of a workload) costs on every
active route of a model, priced by the one cost engine with its breakdown."""
from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from flows.cli.compare import DbOption, _fail, _open, _resolve
from flows.terminal import echo
from pipeline.observation import SERVICE_TIERS


class CostFormat(str, Enum):
    table = "table"
    json = "json"


def _text(value: Decimal | None) -> str | None:
    """An exact decimal without trailing zeros: '0.64'."""
    return None if value is None else format(value.normalize(), "f")


def _usage(input_tokens, output_tokens, cache_read, cache_write, batch, service_tier, profile):
    from records.cost import Usage, profiles

    if batch and service_tier not in (None, "batch"):
        raise _fail("cost", "--batch is --service-tier batch: give one of them")
    tier = "batch" if batch else service_tier
    if tier is not None and tier not in SERVICE_TIERS:
        raise _fail("cost", f"--service-tier must be one of {', '.join(SERVICE_TIERS)}; got {tier!r}")
    if profile is not None:
        named = {p.name: p for p in profiles().profiles}
        if profile not in named:
            raise _fail("cost", f"no profile {profile!r}; pipeline/profiles.yaml has {', '.join(named)}")
        if any(v is not None for v in (input_tokens, output_tokens, cache_read, cache_write)):
            raise _fail("cost", "--profile states the tokens of a month's requests: leave out the token options")
        usage = named[profile].usage
        return usage if tier is None else usage.model_copy(update={"service_tier": tier})
    if input_tokens is None or output_tokens is None:
        raise _fail("cost", "give --input-tokens and --output-tokens (or --profile NAME)")
    try:
        return Usage(input_tokens=input_tokens, output_tokens=output_tokens, cache_read_tokens=cache_read or 0,
                     cache_write_tokens=cache_write or 0, service_tier=tier or "standard")
    except ValidationError as exc:
        raise _fail("cost", "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None


def _route_json(rc, conflicts: dict[str, list[dict]]) -> dict:
    f, cost = rc.facts, rc.cost
    entity = f"{f.provider_id}" + (f" ({f.variant})" if f.variant else "")
    return {
        "provider_id": f.provider_id, "provider": f.provider, "route": f.route, "source": f.source,
        "variant": f.variant, "free_tier": f.free_tier, "usd": _text(cost.usd),
        "unknown_components": cost.unknown_components,
        "breakdown": [{"component": line.component, "tokens": line.tokens, "usd_per_mtok": _text(line.usd_per_mtok),
                       "usd": _text(line.usd), "source": line.source, "route": line.route, "note": line.note}
                      for line in cost.breakdown],
        "tier": {"service_tier": cost.service_tier, "threshold_tokens": cost.tier.threshold_tokens,
                 "threshold_inclusive": cost.tier.inclusive, "label": cost.tier.label},
        "notes": rc.notes, "conflicts": conflicts.get(entity, []),
    }


def _conflicts(con, model_id: str) -> dict[str, list[dict]]:
    """Price conflicts of the model's offerings, by 'provider' or 'provider (variant)'."""
    out: dict[str, list[dict]] = {}
    for entity, field, chosen, chosen_source, candidates in con.execute(
            "SELECT entity, field, chosen, chosen_source, candidates FROM conflicts "
            "WHERE category = 'disagreement' AND starts_with(entity, ?) AND field LIKE '%usd_per_mtok%' "
            "ORDER BY entity, field", [model_id + "@"]).fetchall():
        out.setdefault(entity.removeprefix(model_id + "@"), []).append(
            {"field": field, "chosen": chosen, "chosen_source": chosen_source, "candidates": candidates})
    return out


def _table(model_id: str, usage, routes: list[dict], profile: str | None) -> str:
    per = f"a month of profile {profile!r}" if profile else "one request"
    lines = [f"{model_id}: {per}: {usage.input_tokens:,} input tokens ({usage.cache_read_tokens:,} cache read, "
             f"{usage.cache_write_tokens:,} cache write), {usage.output_tokens:,} output, {usage.service_tier} tier"
             + (f", x {usage.requests:,} requests" if usage.requests > 1 else ""), ""]
    header = ("provider", "route", "source", "usd", "tier", "breakdown")
    rows = [header]
    for r in routes:
        parts = "; ".join(f"{b['component']} {b['tokens']:,} x ${b['usd_per_mtok']}/1M = ${b['usd']} "
                          f"({', '.join(filter(None, (b['source'], b['note'])))})" for b in r["breakdown"])
        usd = f"${r['usd']}" if r["usd"] is not None else "unknown: " + ", ".join(r["unknown_components"])
        rows.append((r["provider"] + (f" ({r['variant']})" if r["variant"] else ""), r["route"], r["source"], usd,
                     r["tier"]["label"], parts))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
    for r in routes:
        for note in r["notes"]:
            lines.append(f"note: {r['provider']}: {note}")
        for c in r["conflicts"]:
            lines.append(f"conflict: {r['provider']}: {c['field']}: used {c['chosen']} ({c['chosen_source']}); "
                         + ", ".join(f"{x['source']} {x['value']}" for x in c["candidates"]))
    return "\n".join(lines) + "\n"


def cost(
    model: Annotated[str, typer.Argument(help="Canonical id, a source's id, or display name (any case).")],
    input_tokens: Annotated[int | None, typer.Option("--input-tokens", min=0, help="The whole prompt, cached part included.")] = None,
    output_tokens: Annotated[int | None, typer.Option("--output-tokens", min=0, help="Output tokens, reasoning included.")] = None,
    cache_read_tokens: Annotated[int | None, typer.Option("--cache-read-tokens", min=0, help="Part of the prompt read from cache.")] = None,
    cache_write_tokens: Annotated[int | None, typer.Option("--cache-write-tokens", min=0, help="Part of the prompt written to cache (the default, 5-minute write).")] = None,
    batch: Annotated[bool, typer.Option("--batch", help="The batch tier (same as --service-tier batch).")] = False,
    service_tier: Annotated[str | None, typer.Option("--service-tier", help=f"One of {', '.join(SERVICE_TIERS)} (default standard).")] = None,
    profile: Annotated[str | None, typer.Option("--profile", help="Price a month of this workload profile (pipeline/profiles.yaml) instead of one request.")] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider's routes (canonical provider id).")] = None,
    fmt: Annotated[CostFormat, typer.Option("--format", help="table or json.")] = CostFormat.table,
    db: DbOption = Path("versus.duckdb"),
) -> None:
    """The cost of one request (or a month of a profile) on every active route of MODEL, with the
    breakdown: the tier applied, each component's tokens, price and source, and what is unknown."""
    from warehouse.costs import route_costs

    usage = _usage(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, batch, service_tier, profile)
    con = _open("cost", db)
    try:
        model_id = _resolve("cost", con, model)
        found = route_costs(con, model_id, usage, provider)
        conflicts = _conflicts(con, model_id)
    finally:
        con.close()
    if not found:
        raise _fail("cost", f"{model_id} has no active route" + (f" at {provider}" if provider else ""))
    routes = [_route_json(rc, conflicts) for rc in found]
    if fmt is CostFormat.json:
        payload = {"model_id": model_id, "profile": profile,
                   "usage": usage.model_dump(mode="json"), "routes": routes}
        echo(json.dumps(payload, indent=2))
    else:
        echo(_table(model_id, usage, routes, profile), nl=False)


def register(app: typer.Typer) -> None:
    """Add `cost` to the `versus` command line."""
    app.command("cost")(cost)
