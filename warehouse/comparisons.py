"""Refresh the `comparisons` table: every pair of tracked models, set-based and incremental.

The SQL lives in `warehouse/sql/30_comparisons.sql` (macros `comparison_model_summaries` and
`comparison_pairs`); this module runs it in order inside one transaction:

1. write `comparison_profiles` from `pipeline/profiles.yaml`, then summarize every tracked model
   once (cheapest figures, monthly cost per profile, capabilities, contributing sources and a hash
   of all its reconciled inputs);
2. models whose summary hash is new or different have changed: only pairs with such a model (or
   with a model no longer tracked) are rewritten; `changed_at` moves when a pair's content_hash
   differs from its previous one, `generated_at` whenever the row is recomputed;
3. `last_reviewed` moves to the run's date for every pair whose contributing sources (both models'
   `model_aliases` sources plus offering sources) all have status 'ok' in `run_sources` for the run,
   changed or not; a pair depending on a failed (or not fetched) source keeps its date.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timezone
from decimal import Decimal

import duckdb
from pydantic import BaseModel, Field

from pipeline.record.cost import profiles
from pipeline.record.schema import TrafficProfile


class ComparisonSettings(TrafficProfile):
    """The traffic profile priced out, and optionally a narrower set of tracked models."""

    model_ids: list[str] | None = None  # only these canonical ids
    vendors: list[str] | None = None  # only models of these vendors (case-insensitive)

    @property
    def traffic(self) -> TrafficProfile:
        return TrafficProfile(input_tokens_per_month=self.input_tokens_per_month,
                              output_tokens_per_month=self.output_tokens_per_month, input_share=self.input_share)


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
    vendors = [v.lower() for v in s.vendors] if s.vendors is not None else None
    con.execute("CREATE OR REPLACE TEMP TABLE _next_models AS "
                "SELECT * FROM comparison_model_summaries(?, ?, ?, ?, ?)",
                [s.input_tokens_per_month, s.output_tokens_per_month, Decimal(s.input_share), s.model_ids, vendors])
    con.execute("""CREATE OR REPLACE TEMP TABLE _changed_models AS
        SELECT n.model_id FROM _next_models n LEFT JOIN comparison_models c USING (model_id)
        WHERE c.summary_hash IS DISTINCT FROM n.summary_hash
        UNION ALL
        SELECT model_id FROM comparison_models ANTI JOIN _next_models USING (model_id)""")


def _rewrite_pairs(con: duckdb.DuckDBPyConnection, now: datetime) -> tuple[int, int]:
    """Rewrite pairs touching a changed model; returns (regenerated, removed)."""
    con.execute("DELETE FROM comparison_models WHERE model_id IN (SELECT model_id FROM _changed_models)")
    con.execute("INSERT INTO comparison_models BY NAME SELECT n.*, ? AS changed_at FROM _next_models n "
                "SEMI JOIN _changed_models USING (model_id)", [now])
    con.execute("""CREATE OR REPLACE TEMP TABLE _previous AS
        SELECT model_a, model_b, content_hash, changed_at, last_reviewed FROM comparisons
        WHERE model_a IN (SELECT model_id FROM _changed_models)
           OR model_b IN (SELECT model_id FROM _changed_models)""")
    con.execute("""DELETE FROM comparisons WHERE model_a IN (SELECT model_id FROM _changed_models)
                   OR model_b IN (SELECT model_id FROM _changed_models)""")
    con.execute("""INSERT INTO comparisons BY NAME
        SELECT p.* EXCLUDE (inputs_changed_at), ? AS generated_at,
               CASE WHEN o.content_hash = p.content_hash THEN o.changed_at ELSE ? END AS changed_at,
               o.last_reviewed
        FROM comparison_pairs() p LEFT JOIN _previous o USING (model_a, model_b)
        WHERE p.inputs_changed_at = ?""", [now, now, now])
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
        regenerated, removed = _rewrite_pairs(con, now) if changed else (0, 0)
        moved = _move_last_reviewed(con, run_id, run_date)
        tracked = _count(con, "SELECT count(*) FROM comparison_models")
        total = _count(con, "SELECT count(*) FROM comparisons")
        for temp in ("_next_models", "_changed_models", "_previous", "_reviewed_models"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ComparisonSummary(tracked_models=tracked, models_changed=changed, pairs_total=total,
                             pairs_regenerated=regenerated, pairs_removed=removed, last_reviewed_moved=moved,
                             elapsed_seconds=round(time.perf_counter() - started, 3))
