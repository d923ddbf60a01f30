"""What the site reads from the warehouse, set-based: index rows, price history, price
components, review dates, benchmark scores, and the digests that tell a page's inputs changed.
A section with no rows says so on the page."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import duckdb

from records.charts import Period

_ENTITY_MODEL = "CASE WHEN contains(entity, '@') THEN regexp_extract(entity, '^(.*)@', 1) ELSE entity END"


@dataclass
class IndexRow:
    """One tracked model as the index lists it; every figure from comparison_models and models."""

    model_id: str
    name: str
    vendor: str | None
    family: str | None
    context_window: int | None
    blended: Decimal
    blended_providers: list[str]  # provider display names
    routes: int
    providers: list[tuple[str, str]]  # (id, display name)
    capabilities_yes: list[str]
    capabilities_no: list[str]
    open_weights: bool | None
    aliases: list[str]
    summary_hash: str
    kind: str | None = None  # models.kind
    alias_candidates: list[str] | None = None  # models.alias_candidates: a moving alias's snapshots
    rating: Decimal | None = None  # the index benchmark (LMArena text `full`), when ingested
    rating_low: Decimal | None = None
    rating_high: Decimal | None = None


def index_rows(con: duckdb.DuckDBPyConnection) -> list[IndexRow]:
    """Every tracked model (a priced route), by name then id."""
    names = dict(con.execute("SELECT provider_id, name FROM providers").fetchall())
    aliases = dict(con.execute("""
        SELECT model_id, list_sort(list_distinct(list(source_id))) FROM model_aliases
        WHERE model_id IN (SELECT model_id FROM comparison_models) GROUP BY 1""").fetchall())
    rows = []
    for r in con.execute("""
            SELECT c.model_id, m.name, m.vendor, m.family, c.context_window, c.blended_usd_per_mtok,
                   c.blended_providers, c.routes, c.providers, c.capabilities_yes, c.capabilities_no, m.open_weights,
                   c.summary_hash, m.kind, m.alias_candidates
            FROM comparison_models c JOIN models m USING (model_id)
            ORDER BY lower(m.name), c.model_id""").fetchall():
        rows.append(IndexRow(
            model_id=r[0], name=r[1], vendor=r[2], family=r[3], context_window=r[4], blended=r[5],
            blended_providers=[names.get(p, p) for p in r[6] or []], routes=r[7],
            providers=sorted(((p, names.get(p, p)) for p in r[8]), key=lambda x: x[1].lower()),
            capabilities_yes=list(r[9]), capabilities_no=list(r[10]), open_weights=r[11],
            aliases=[a for a in aliases.get(r[0], []) if a not in (r[0], r[1])], summary_hash=r[12], kind=r[13],
            alias_candidates=r[14]))
    ratings = index_ratings(con)
    for row in rows:
        if row.model_id in ratings:
            row.rating, row.rating_low, row.rating_high = ratings[row.model_id]
    return rows


def index_ratings(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Decimal, Decimal | None, Decimal | None]]:
    """The current LMArena text rating (`lmarena-full`, the default setting: a thinking variant is
    another setting) per model, with its 95% interval."""
    rows = con.execute("""
        SELECT model_id, score, ci_low, ci_high FROM benchmark_scores
        WHERE benchmark_id = 'lmarena-full' AND setting IS NULL""").fetchall()
    return {r[0]: (Decimal(str(r[1])), r[2], r[3]) for r in rows}


@dataclass
class BenchmarkScore:
    benchmark: str
    setting: str | None
    score: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    source: str | None
    url: str | None


def model_benchmarks(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[BenchmarkScore]]:
    """Per model, its current benchmark results (`benchmark_scores`) with intervals and sources."""
    out: dict[str, list[BenchmarkScore]] = defaultdict(list)
    for r in con.execute("""
            SELECT model_id, benchmark, setting, ci_low, ci_high, source, document_url, score FROM benchmark_scores
            WHERE model_id IN (SELECT unnest(?)) ORDER BY model_id, benchmark, setting NULLS FIRST""",
            [ids]).fetchall():
        out[r[0]].append(BenchmarkScore(r[1], r[2], Decimal(str(r[7])), r[3], r[4], r[5], r[6]))
    return out


@dataclass
class RouteHistory:
    provider_id: str
    source: str
    route: str
    periods: list[Period]


def price_histories(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[RouteHistory]]:
    """Per model, the price_history of each of its active preferred routes (what the page lists)."""
    out: dict[str, dict[tuple, RouteHistory]] = defaultdict(dict)
    for model_id, provider_id, source, route, inp, outp, start, end in con.execute("""
            SELECT h.model_id, h.provider_id, h.source, h.route, h.input_usd_per_mtok, h.output_usd_per_mtok,
                   h.valid_from, h.valid_to
            FROM price_history h
            SEMI JOIN offering_listings o ON o.model_id = h.model_id AND o.provider_id = h.provider_id
                 AND o.source = h.source AND o.route = h.route AND o.active AND coalesce(o.preferred, true)
            WHERE h.model_id IN (SELECT unnest(?))
            ORDER BY 1, 2, 3, 4, h.valid_from""", [ids]).fetchall():
        key = (provider_id, source, route)
        history = out[model_id].setdefault(key, RouteHistory(provider_id, source, route, []))
        history.periods.append(Period(start, end, inp, outp))
    return {m: list(routes.values()) for m, routes in out.items()}


@dataclass
class PriceComponent:
    provider_id: str
    route: str
    source: str
    component: str  # cache_read, cache_write_5m, input_audio...
    service_tier: str  # standard, batch, flex, priority
    threshold_tokens: int  # prompt tokens the tier starts at (0: from the first token)
    threshold_inclusive: bool
    hours: str | None
    usd_per_mtok: Decimal




def price_components(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[PriceComponent]]:
    """Per model, the current prices of its active routes beyond the base input and output price
    (tiers by prompt length, cache, batch and other service tiers, time windows), when the
    `offering_prices`)."""
    out: dict[str, list[PriceComponent]] = defaultdict(list)
    for r in con.execute("""
            SELECT p.model_id, p.provider_id, p.route, p.source, p.component, p.service_tier, p.threshold_tokens,
                   p.threshold_inclusive, p.hours, p.usd_per_mtok
            FROM offering_prices p
            SEMI JOIN offering_listings o ON o.model_id = p.model_id AND o.provider_id = p.provider_id
                 AND o.source = p.source AND o.route = p.route AND o.active AND coalesce(o.preferred, true)
            WHERE p.model_id IN (SELECT unnest(?)) AND p.in_force AND p.valid_to IS NULL AND p.preferred
              AND NOT (p.component IN ('input', 'output') AND p.service_tier = 'standard' AND p.threshold_tokens = 0
                       AND p.hours IS NULL)
            ORDER BY 1, 2, 3, 4, 6, 5, 7""", [ids]).fetchall():
        out[r[0]].append(PriceComponent(*r[1:]))
    return out


@dataclass(frozen=True)
class UnitPrice:
    """A price per non-token unit one source states for an active route (observations field
    `price_usd_per_unit`): shown in its unit, never in token prices or costs."""
    provider_id: str
    route: str
    source: str
    component: str  # pipeline/observation.py UNIT_COMPONENTS: 'input_per_character', 'output_per_image'...
    usd: Decimal
    url: str


_UNIT_PRICES = """
    SELECT DISTINCT a.model_id, o.provider_id, o.route, ob.source, ob.price_component, ob.value_decimal, ob.url
    FROM current_observations ob
    JOIN model_aliases a ON a.source = ob.source AND a.source_id = ob.model_id
                        AND a.provider_id IS NOT DISTINCT FROM ob.provider_id
    JOIN offering_listings o ON o.model_id = a.model_id AND o.source = ob.source AND o.route = ob.model_id
                    AND o.source_provider_id = ob.provider_id AND o.active
    WHERE ob.field = 'price_usd_per_unit'"""


def unit_prices(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[UnitPrice]]:
    """Per model, the prices per character, image or second its active routes' sources state."""
    out: dict[str, list[UnitPrice]] = defaultdict(list)
    for r in con.execute(f"SELECT * FROM ({_UNIT_PRICES}) WHERE model_id IN (SELECT unnest(?)) ORDER BY ALL",
                         [ids]).fetchall():
        out[r[0]].append(UnitPrice(*r[1:]))
    return out


def model_last_reviewed(con: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """Per tracked model, the date of the latest run that fetched every source it depends on
    successfully (as `comparisons.last_reviewed` is for a pair)."""
    return dict(con.execute("""
        SELECT m.model_id, max(CAST(r.started_at AS DATE))
        FROM comparison_models m CROSS JOIN runs r
        WHERE NOT EXISTS (SELECT 1 FROM unnest(m.sources) AS u(source)
                          WHERE u.source NOT IN (SELECT s.source FROM run_sources s
                                                 WHERE s.run_id = r.run_id AND s.status = 'ok'))
        GROUP BY 1""").fetchall())


def data_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The data's moment, where price-history charts end and what pages say they are as of: the
    newest `effective_at` of the current documents (in a replay the snapshot's date, never the
    calendar; live, the fetch time)."""
    return con.execute("SELECT max(effective_at) FROM current_documents").fetchone()[0]


def model_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per tracked model, a digest of what its pages show beyond `comparison_models.summary_hash`:
    citations (lineage), the documents behind them (as of, fetch date), price history, prices in
    other units and, when present, benchmark results."""
    parts = [f"""SELECT {_ENTITY_MODEL} AS model_id,
                    concat_ws('|', entity_type, entity, route, field, l.source, l.url, document_sha256, value, chosen,
                              d.as_of, CAST(d.last_fetched_at AS DATE)) AS x
                FROM lineage l LEFT JOIN raw_documents d
                     ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256""",
             """SELECT model_id, concat_ws('|', provider_id, source, route, input_usd_per_mtok, output_usd_per_mtok,
                                          valid_from, valid_to) FROM price_history"""]
    parts.append("SELECT model_id, CAST(b AS VARCHAR) FROM benchmark_results b")
    parts.append("SELECT model_id, CAST(p AS VARCHAR) FROM offering_prices p")
    parts.append(f"SELECT model_id, CAST(u AS VARCHAR) FROM ({_UNIT_PRICES}) u")
    union = " UNION ALL ".join(parts)
    # an order-free digest (a sum of row hashes and the row count): no sort of 100,000s of rows
    return dict(con.execute(f"""
        SELECT model_id, CAST(sum(CAST(hash(x) AS HUGEINT)) AS VARCHAR) || '/' || CAST(count(*) AS VARCHAR)
        FROM ({union}) t(model_id, x)
        WHERE model_id IN (SELECT model_id FROM comparison_models) GROUP BY 1""").fetchall())


def pair_rows(con: duckdb.DuckDBPyConnection,
              pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, date | None]]:
    """Per given pair (model_a < model_b) of tracked models: (content_hash, last_reviewed), stored in
    `comparisons` or, for a pair it does not hold, as the macro compare_pair computes them."""
    if not pairs:
        return {}
    return {(a, b): (h, r) for a, b, h, r in con.execute("""
        SELECT p.a, p.b, coalesce(c.content_hash, md5(ma.summary_hash || mb.summary_hash)),
               coalesce(c.last_reviewed, least(ma.last_reviewed, mb.last_reviewed))
        FROM (SELECT unnest(?) AS a, unnest(?) AS b) p
        JOIN comparison_models ma ON ma.model_id = p.a
        JOIN comparison_models mb ON mb.model_id = p.b
        LEFT JOIN comparisons c ON c.model_a = p.a AND c.model_b = p.b""",
        [[a for a, _ in pairs], [b for _, b in pairs]]).fetchall()}
