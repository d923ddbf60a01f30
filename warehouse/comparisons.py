"""Refresh the `comparisons` table: the pairs people read, set-based and incremental.

The SQL lives in `warehouse/sql/marts_comparisons.sql` (macros `comparison_model_summaries` and
`comparison_pairs_of`); any other pair is computed on demand by the same SQL (macro `compare_pair`,
`warehouse/sql/marts_compare_pair.sql`). All pairs grow as n²/2 (50 million at 10,000 models:
docs/architecture.md, "Which pairs are stored"), so by default (`pairs="read"`) the table holds
the pairs the site pages (`warehouse.site.selection`: each model's nearest alternatives, plus
`pipeline/site_pairs.yaml`) and the pairs in `comparison_requests` requested in the last
`REQUESTED_DAYS` days; `pairs="all"` stores every pair. This module runs it in order inside one
transaction:

1. write `comparison_profiles` from `pipeline/profiles.yaml`, price every route under each with
   the cost engine (`warehouse.costs.write_route_profile_costs`), then summarize every tracked
   model once (cheapest figures, monthly cost per profile, capabilities, contributing sources and
   a hash of all its reconciled inputs);
2. models whose summary hash is new or different have changed: only stored pairs with such a model
   (or with a model no longer tracked) and pairs newly chosen are computed, pairs no longer chosen
   removed; `changed_at` moves when a pair's content_hash differs from its previous one (a newly
   stored pair: now), `generated_at` whenever the row is recomputed;
3. `last_reviewed` moves to the run's date for every pair whose contributing sources (both models'
   `model_aliases` sources plus offering sources) all have status 'ok' in `run_sources` for the run,
   changed or not; a pair depending on a failed (or not fetched) source keeps its date (a newly
   stored pair starts from the earlier of its two models' `comparison_models.last_reviewed`, which
   moves the same way per model).
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Literal

import duckdb
from pydantic import BaseModel, Field

from records.cost import profiles
from records.schema import TrafficProfile
from warehouse.costs import write_route_profile_costs


class ComparisonSettings(TrafficProfile):
    """The traffic profile priced out, and optionally a narrower set of tracked models."""

    model_ids: list[str] | None = None  # only these canonical ids
    vendors: list[str] | None = None  # only models of these vendors (case-insensitive)
    pairs: Literal["read", "all"] = "read"  # store the pairs people read, or every pair

    @property
    def traffic(self) -> TrafficProfile:
        return TrafficProfile(input_tokens_per_month=self.input_tokens_per_month,
                              output_tokens_per_month=self.output_tokens_per_month, input_share=self.input_share)


REQUESTED_DAYS = 90  # a pair in comparison_requests stays stored this long after its last request


class ComparisonSummary(BaseModel):
    tracked_models: int
    models_changed: int
    pairs_total: int
    pairs_regenerated: int  # rows recomputed because an input of the pair changed
    pairs_removed: int
    last_reviewed_moved: int
    elapsed_seconds: float = Field(ge=0)


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchone()[0]


def _write_profiles(con: duckdb.DuckDBPyConnection) -> None:
    """comparison_profiles as pipeline/profiles.yaml states them."""
    curated = profiles()
    con.execute("DELETE FROM comparison_profiles")
    con.executemany("INSERT INTO comparison_profiles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [p.name, i, p.name == curated.default, p.description, p.requests_per_month, p.input_tokens_per_request,
         p.usage.cache_read_tokens, p.output_tokens_per_request, p.service_tier]
        for i, p in enumerate(curated.profiles, 1)])


def _summarize(con: duckdb.DuckDBPyConnection, s: ComparisonSettings) -> None:
    _write_profiles(con)
    write_route_profile_costs(con, s.model_ids)
    vendors = [v.lower() for v in s.vendors] if s.vendors is not None else None
    con.execute("CREATE OR REPLACE TEMP TABLE _next_models AS "
                "SELECT * FROM comparison_model_summaries(?, ?, ?, ?, ?)",
                [s.input_tokens_per_month, s.output_tokens_per_month, Decimal(s.input_share), s.model_ids, vendors])
    con.execute("""CREATE OR REPLACE TEMP TABLE _changed_models AS
        SELECT n.model_id FROM _next_models n LEFT JOIN comparison_models c USING (model_id)
        WHERE c.summary_hash IS DISTINCT FROM n.summary_hash
        UNION ALL
        SELECT model_id FROM comparison_models ANTI JOIN _next_models USING (model_id)""")


def read_pairs(con: duckdb.DuckDBPyConnection, now: datetime) -> list[tuple[str, str]]:
    """The pairs people read, each in canonical order: the site's (each model's nearest
    alternatives and the pairs file, as `versus site` chooses them from comparison_models) and
    those requested in the last REQUESTED_DAYS days. A pairs file the site refuses (a model not
    tracked...) adds nothing here; `versus site` reports it."""
    from warehouse.site import catalog
    from warehouse.site.builder import SiteError, select_pairs

    rows = catalog.index_rows(con)
    try:
        chosen = set(select_pairs(con, rows, "nearest", None))
    except SiteError:
        chosen = set(select_pairs(con, rows, "none", None)) | _nearest_only(rows)
    requested = con.execute("SELECT least(model_a, model_b), greatest(model_a, model_b) FROM comparison_requests "
                            "WHERE requested_at >= ?", [now - timedelta(days=REQUESTED_DAYS)]).fetchall()
    return sorted(chosen | {tuple(r) for r in requested})


def _nearest_only(rows) -> set[tuple[str, str]]:
    from warehouse.site.selection import Candidate, nearest

    return set(nearest([Candidate(r.model_id, r.name, r.family, r.blended, frozenset(r.capabilities_yes), r.kind,
                                  frozenset(r.alias_candidates or ())) for r in rows]))


def _write_models(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """comparison_models rows of changed models replaced (each keeps its last_reviewed)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _model_reviewed AS SELECT model_id, last_reviewed FROM comparison_models")
    con.execute("DELETE FROM comparison_models WHERE model_id IN (SELECT model_id FROM _changed_models)")
    con.execute("INSERT INTO comparison_models BY NAME SELECT n.*, ? AS changed_at, r.last_reviewed "
                "FROM _next_models n SEMI JOIN _changed_models USING (model_id) "
                "LEFT JOIN _model_reviewed r USING (model_id)", [now])


_TOUCHED = "model_a IN (SELECT model_id FROM _changed_models) OR model_b IN (SELECT model_id FROM _changed_models)"


def _rewrite_pairs(con: duckdb.DuckDBPyConnection, now: datetime,
                   wanted: list[tuple[str, str]] | None) -> tuple[int, int]:
    """Rewrite stored pairs touching a changed model, add wanted pairs not stored, drop pairs no
    longer wanted (`wanted` None: every pair is wanted); returns (regenerated, removed)."""
    if wanted is None:
        con.execute("CREATE OR REPLACE TEMP TABLE _previous AS SELECT model_a, model_b, content_hash, changed_at, "
                    f"last_reviewed FROM comparisons WHERE {_TOUCHED}")
        todo, params = ("SELECT * FROM comparison_pairs() p WHERE inputs_changed_at = ? OR NOT EXISTS "
                        "(SELECT 1 FROM comparisons c WHERE c.model_a = p.model_a AND c.model_b = p.model_b)"), [now]
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _wanted AS SELECT unnest(?) AS model_a, unnest(?) AS model_b",
                    [[a for a, _ in wanted], [b for _, b in wanted]])
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _todo AS SELECT model_a, model_b FROM _wanted w
            WHERE {_TOUCHED} OR NOT EXISTS (SELECT 1 FROM comparisons c
                                            WHERE c.model_a = w.model_a AND c.model_b = w.model_b)""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _previous AS
            SELECT model_a, model_b, content_hash, changed_at, last_reviewed FROM comparisons c
            WHERE {_TOUCHED} OR NOT EXISTS (SELECT 1 FROM _wanted w WHERE w.model_a = c.model_a AND w.model_b = c.model_b)""")
        todo_a, todo_b = con.execute("SELECT list(model_a ORDER BY model_a, model_b), list(model_b ORDER BY model_a, model_b) FROM _todo").fetchone()
        todo, params = "SELECT * FROM comparison_pairs_of(?, ?)", [todo_a or [], todo_b or []]
    con.execute("DELETE FROM comparisons c WHERE EXISTS (SELECT 1 FROM _previous o "
                "WHERE o.model_a = c.model_a AND o.model_b = c.model_b)")
    con.execute(f"""INSERT INTO comparisons BY NAME
        SELECT p.* EXCLUDE (inputs_changed_at), ? AS generated_at,
               CASE WHEN o.content_hash = p.content_hash THEN o.changed_at ELSE ? END AS changed_at,
               CASE WHEN o.model_a IS NOT NULL THEN o.last_reviewed
                    ELSE least(ma.last_reviewed, mb.last_reviewed) END AS last_reviewed
        FROM ({todo}) p LEFT JOIN _previous o USING (model_a, model_b)
        JOIN comparison_models ma ON ma.model_id = p.model_a
        JOIN comparison_models mb ON mb.model_id = p.model_b""", [now, now, *params])
    removed = _count(con, "SELECT count(*) FROM _previous ANTI JOIN comparisons USING (model_a, model_b)")
    regenerated = _count(con, "SELECT count(*) FROM comparisons WHERE changed_at = ?", [now])
    return regenerated, removed


def _move_last_reviewed(con: duckdb.DuckDBPyConnection, run_id: int, run_date: date) -> int:
    """Pairs whose contributing sources were all fetched successfully in the run take its date."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _reviewed_models AS
        SELECT m.model_id FROM comparison_models m
        WHERE NOT EXISTS (
            SELECT 1 FROM unnest(m.sources) AS u(source)
            WHERE u.source NOT IN (SELECT source FROM run_sources WHERE run_id = ? AND status = 'ok'))""",
                [run_id])
    con.execute("UPDATE comparison_models SET last_reviewed = ? WHERE last_reviewed IS DISTINCT FROM ? "
                "AND model_id IN (SELECT model_id FROM _reviewed_models)", [run_date, run_date])
    return _count(con, """UPDATE comparisons SET last_reviewed = ?
        WHERE last_reviewed IS DISTINCT FROM ?
          AND model_a IN (SELECT model_id FROM _reviewed_models)
          AND model_b IN (SELECT model_id FROM _reviewed_models)""", [run_date, run_date])


def refresh_comparisons(con: duckdb.DuckDBPyConnection, run_id: int, run_date: date,
                        settings: ComparisonSettings | None = None) -> ComparisonSummary:
    """Bring `comparisons` up to date with the reconciled tables for run `run_id`."""
    started = time.perf_counter()
    settings = settings or ComparisonSettings()
    now = datetime.now(timezone.utc)
    con.execute("BEGIN TRANSACTION")
    try:
        _summarize(con, settings)
        changed = _count(con, "SELECT count(*) FROM _changed_models")
        if changed:
            _write_models(con, now)
        wanted = None if settings.pairs == "all" else read_pairs(con, now)
        missing = wanted is None and _count(con, "SELECT (SELECT count(*) FROM comparison_pair_keys(NULL, NULL)) "
                                                 "- (SELECT count(*) FROM comparisons)") != 0  # stored the read ones
        rewrite = changed or missing or wanted is not None
        regenerated, removed = _rewrite_pairs(con, now, wanted) if rewrite else (0, 0)
        moved = _move_last_reviewed(con, run_id, run_date)
        tracked = _count(con, "SELECT count(*) FROM comparison_models")
        total = _count(con, "SELECT count(*) FROM comparisons")
        for temp in ("_next_models", "_changed_models", "_previous", "_reviewed_models", "_wanted", "_todo", "_model_reviewed"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ComparisonSummary(tracked_models=tracked, models_changed=changed, pairs_total=total,
                             pairs_regenerated=regenerated, pairs_removed=removed, last_reviewed_moved=moved,
                             elapsed_seconds=round(time.perf_counter() - started, 3))
