"""The audit: every disagreement between independent sources, for the people who maintain the data.

Read-only over a reconciled warehouse. A discrepancy is one fact (a model's field or capability,
or a route's price or limit at one provider) on which at least two independent sources speak
(a copy, per `pipeline/precedence.yaml` `derived`, counts as the source it copies) and some value
differs beyond tolerance from the one the records use; or a route's price one source last
confirmed long before another did (`audit.stale_after_days`). Each comes with every source's
value, URL and as-of, the value used and why, ranked by impact: for a price, the monthly
difference between the highest and lowest listed price at the default traffic profile.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

import duckdb

from pipeline import reconcile as rules
from records.schema import TrafficProfile

PRICE_FIELDS = ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok", "cache_write_usd_per_mtok")
LIMIT_FIELDS = ("context_window", "max_output_tokens")
KINDS = ("price", "limit", "capability", "license", "date", "other", "stale", "alias")


def kind_of(field_name: str) -> str:
    """price, limit, capability, license (and open weights), date, stale (a price confirmation), other."""
    if field_name in PRICE_FIELDS:
        return "price"
    if field_name in LIMIT_FIELDS:
        return "limit"
    if field_name.startswith("supports_"):
        return "capability"
    if field_name in ("license", "open_weights"):
        return "license"
    if field_name in ("release_date", "knowledge_cutoff", "listed_at", "retired_on"):
        return "date"
    if field_name == "price_confirmed":
        return "stale"
    if field_name == "alias_target":
        return "alias"
    return "other"


@dataclass
class Discrepancy:
    entity: str  # model id, or model_id@provider_id (variant) for a route
    field: str
    candidates: list[dict]  # source, source_id, value, url, as_of (and provider, copy_of)
    chosen: str | None
    chosen_source: str | None
    reason: str
    impact_usd_month: Decimal | None = None
    kind: str = field(init=False)

    def __post_init__(self) -> None:
        self.kind = kind_of(self.field)

    @property
    def distinct_values(self) -> int:
        return len({c["value"] for c in self.candidates if c["value"] is not None})

    def as_json(self) -> dict:
        return {"entity": self.entity, "field": self.field, "kind": self.kind, "candidates": self.candidates,
                "chosen": self.chosen, "chosen_source": self.chosen_source, "reason": self.reason,
                "impact_usd_month": None if self.impact_usd_month is None else str(self.impact_usd_month)}


def _sql(name: str) -> str:
    return resources.files("warehouse").joinpath("sql", "audit", name).read_text()


def _candidates(rows) -> list[dict]:
    return [{"source": c["source"], "source_id": c["source_id"], "value": c["value"], "url": c.get("url"),
             "as_of": c.get("as_of"), "provider": c.get("provider"), "copy_of": c.get("copy_of")} for c in rows or []]


def _price_impact(field_name: str, values: list[str | None], traffic: TrafficProfile) -> Decimal | None:
    """The monthly difference between the highest and lowest price listed, at the traffic profile
    (USD per million tokens times millions of tokens a month); cached prices have no tokens in it."""
    prices = [Decimal(v) for v in values if v is not None]
    if not prices:
        return None
    tokens = {"input_usd_per_mtok": traffic.input_tokens_per_month,
              "output_usd_per_mtok": traffic.output_tokens_per_month}.get(field_name)
    if tokens is None:
        return None
    return (max(prices) - min(prices)) * tokens / Decimal(1_000_000)


def _disagreements(con: duckdb.DuckDBPyConnection, traffic: TrafficProfile) -> list[Discrepancy]:
    """`conflicts` rows of category disagreement whose candidates are at least two independent sources."""
    out = []
    for entity, field_name, candidates, chosen, chosen_source, reason in con.execute(_sql("disagreements.sql")).fetchall():
        cands = _candidates(candidates)
        impact = _price_impact(field_name, [c["value"] for c in cands], traffic) if field_name in PRICE_FIELDS else None
        out.append(Discrepancy(entity, field_name, cands, chosen, chosen_source, reason, impact))
    return out


def _limits(con: duckdb.DuckDBPyConnection) -> list[Discrepancy]:
    """A route's context or output limit that independent sources listing it state differently."""
    tolerance = rules.precedence().tolerance["tokens"]
    out = []
    for entity, field_name, candidates, chosen, chosen_source in con.execute(_sql("limits.sql")).fetchall():
        cands = _candidates(candidates)
        values = [int(c["value"]) for c in cands if c["value"] is not None]
        witnesses = {c["copy_of"] or c["source"] for c in cands}
        if not _limits_differ(values, witnesses, tolerance):
            continue
        out.append(Discrepancy(entity, field_name, cands, chosen, chosen_source,
                               f"{chosen_source} is the route's preferred listing (precedence.yaml offerings order); "
                               f"{len(witnesses)} independent sources list {len(set(values))} limits"))
    return out


def _limits_differ(values: list[int], witnesses: set[str], tolerance) -> bool:
    """Two independent sources or more, and some limit beyond the token tolerance of another."""
    return len(witnesses) >= 2 and not all(rules.equivalent("tokens", v, values[0], tolerance) for v in values)


def _aliases(con: duckdb.DuckDBPyConnection) -> list[Discrepancy]:
    """Moving aliases whose target no source states (conflicts of category moving_alias)."""
    return [Discrepancy(entity, field_name, _candidates(candidates), None, None, reason)
            for entity, field_name, candidates, reason in con.execute(
                "SELECT entity, field, candidates, reason FROM conflicts WHERE category = 'moving_alias' "
                "ORDER BY entity").fetchall()]


def _stale(con: duckdb.DuckDBPyConnection, traffic: TrafficProfile) -> list[Discrepancy]:
    """Routes whose price one source last confirmed more than `stale_after_days` before another."""
    days = rules.precedence().audit.stale_after_days
    out = []
    for row in con.execute(_sql("stale.sql"), [days]).fetchall():
        entity, candidates, stale_source, stale_on, newest_source, newest_on, gap, d_in, d_out = row
        impact = None
        if d_in is not None or d_out is not None:
            impact = ((d_in or 0) * traffic.input_tokens_per_month + (d_out or 0) * traffic.output_tokens_per_month) \
                / Decimal(1_000_000)
        out.append(Discrepancy(
            entity, "price_confirmed", _candidates(candidates), str(newest_on), newest_source,
            f"{stale_source} last confirmed this route's price on {stale_on}, {gap} days before {newest_source} "
            f"({newest_on}); more than {days} days (precedence.yaml audit.stale_after_days). Impact: the monthly "
            f"difference between the two sources' prices", impact))
    return out


def audit(con: duckdb.DuckDBPyConnection, traffic: TrafficProfile | None = None) -> list[Discrepancy]:
    """Every discrepancy, largest monthly impact first (those without a price impact after, by kind)."""
    traffic = traffic or TrafficProfile()
    found = _disagreements(con, traffic) + _limits(con) + _stale(con, traffic) + _aliases(con)
    return sorted(found, key=lambda d: (d.impact_usd_month is None, -(d.impact_usd_month or 0),
                                        KINDS.index(d.kind), d.entity, d.field))


def counts(found: list[Discrepancy]) -> dict[str, int]:
    """Discrepancies per kind, in KINDS order (kinds with none left out)."""
    per = Counter(d.kind for d in found)
    return {k: per[k] for k in KINDS if per[k]}


def audit_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The run summary's figures: discrepancies per kind, as `counts(audit(con))` gives them, counted
    in SQL without building each discrepancy's evidence (a third of the time on 2026-08)."""
    per: Counter[str] = Counter()
    for field_name, n in con.execute(f"SELECT field, count(*) FROM ({_query('disagreements.sql')}) GROUP BY field").fetchall():
        per[kind_of(field_name)] += n
    tolerance = rules.precedence().tolerance["tokens"]
    for field_name, values, witnesses in con.execute(
            f"SELECT field, [c.value FOR c IN candidates IF c.value IS NOT NULL], "
            f"list_distinct([coalesce(c.copy_of, c.source) FOR c IN candidates]) FROM ({_query('limits.sql')})").fetchall():
        per[kind_of(field_name)] += _limits_differ([int(v) for v in values], set(witnesses), tolerance)
    per["stale"] += con.execute(f"SELECT count(*) FROM ({_query('stale.sql')})",
                                [rules.precedence().audit.stale_after_days]).fetchone()[0]
    per["alias"] += con.execute("SELECT count(*) FROM conflicts WHERE category = 'moving_alias'").fetchone()[0]
    return {k: per[k] for k in KINDS if per[k]}


def _query(name: str) -> str:
    """An audit query as a subquery: its text without the closing semicolon."""
    return _sql(name).strip().removesuffix(";")


# --- rendering -----------------------------------------------------------------------------

def _value(c: dict) -> str:
    who = c["source"] + (f" ({c['provider']})" if c.get("provider") else "") + \
        (f", copy of {c['copy_of']}" if c.get("copy_of") else "")
    return f"{who}: {c['value'] if c['value'] is not None else 'nothing'}"


def to_json(found: list[Discrepancy]) -> str:
    import json

    return json.dumps({"counts": counts(found), "discrepancies": [d.as_json() for d in found]}, indent=2) + "\n"


def _money(d: Discrepancy) -> str:
    return "" if d.impact_usd_month is None else f"${d.impact_usd_month:,.2f}"


def _title(found: list[Discrepancy]) -> str:
    per = ", ".join(f"{n} {k}" for k, n in counts(found).items()) or "none"
    return f"versus audit: {len(found)} discrepancies ({per})"


def to_markdown(found: list[Discrepancy]) -> str:
    from records.render import md_escape, safe_href

    lines = [f"# {md_escape(_title(found))}", "",
             "Ranked by impact: for a price, the monthly difference between the highest and lowest listed price "
             "at the default traffic profile (100M input and 30M output tokens).", "",
             "| # | impact / month | kind | entity | field | values (source: value) | used | why |",
             "|---:|---:|---|---|---|---|---|---|"]
    for i, d in enumerate(found, 1):
        values = "; ".join(md_escape(_value(c)) + (f" [as of {md_escape(c['as_of'])}]" if c.get("as_of") else "")
                           for c in d.candidates)
        used = md_escape(f"{d.chosen} ({d.chosen_source})" if d.chosen is not None else "nothing")
        lines.append(f"| {i} | {_money(d)} | {d.kind} | {md_escape(d.entity)} | {md_escape(d.field)} | {values} "
                     f"| {used} | {md_escape(d.reason)} |")
    urls = sorted({c["url"] for d in found for c in d.candidates if c.get("url") and safe_href(c["url"])})
    if urls:
        lines += ["", "Documents:", ""] + [f"- <{safe_href(u)}>" for u in urls]
    return "\n".join(lines) + "\n"


def to_html(found: list[Discrepancy]) -> str:
    from records.html import render_page

    rows = [{"money": _money(d), "kind": d.kind, "entity": d.entity, "field": d.field, "reason": d.reason,
             "used": f"{d.chosen} ({d.chosen_source})" if d.chosen is not None else "nothing",
             "candidates": [{"value": _value(c), "url": c.get("url"), "as_of": c.get("as_of")} for c in d.candidates]}
            for d in found]
    return render_page("audit.html", title=_title(found), rows=rows)


RENDERERS = {"md": to_markdown, "html": to_html, "json": to_json}
