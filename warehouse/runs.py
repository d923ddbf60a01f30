"""The `runs` and `run_sources` ledger: what each refresh did, per source."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import duckdb

from warehouse.load import SourceLoad


def start_run(con: duckdb.DuckDBPyConnection, snapshot: str | None, as_of: datetime | str | None = None) -> int:
    """Open a run. `as_of` is the date source ages are measured at: a replay's snapshot date
    (`Snapshot.data_date`); when None, now (a live run)."""
    run_id = con.execute("SELECT nextval('run_ids')").fetchone()[0]
    started = datetime.now(timezone.utc)
    con.execute("INSERT INTO runs (run_id, started_at, snapshot, as_of) VALUES (?, ?, ?, ?)",
                [run_id, started, snapshot, as_of or started])
    return run_id


def record_source(con: duckdb.DuckDBPyConnection, run_id: int, load: SourceLoad) -> None:
    con.execute(
        "INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, load.source, load.status, load.documents, load.observations, load.rejected,
         load.reason[:4000] or None, datetime.now(timezone.utc)])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int) -> str:
    """Close the run: ok when every source that ran loaded, failed when none loaded (or was held),
    partial otherwise (a held source makes it partial). A skipped source (the snapshot holds nothing
    of it) did not run and counts neither way."""
    ok, held, ran = con.execute(
        "SELECT count(*) FILTER (status = 'ok'), count(*) FILTER (status = 'held'), "
        "count(*) FILTER (status <> 'skipped') FROM run_sources WHERE run_id = ?", [run_id]).fetchone()
    status = "failed" if ok + held == 0 else "ok" if ok == ran else "partial"
    con.execute("UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?",
                [datetime.now(timezone.utc), status, run_id])
    return status


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The data's date (UTC): the newest `effective_at` of the current documents (in a replay, the
    snapshot's date; live, the fetch time); None when there are none."""
    row = con.execute("SELECT CAST(timezone('UTC', max(effective_at)) AS DATE) FROM current_documents").fetchone()
    return row[0] if row else None


SOURCE_HEALTH_SQL = """
WITH ran AS (
    SELECT rs.source, rs.run_id, rs.status, rs.error, coalesce(r.as_of, r.started_at) AS run_as_of
    FROM run_sources rs JOIN runs r USING (run_id) WHERE rs.status <> 'skipped'),
last AS (
    SELECT source, arg_max(status, run_id) AS status, arg_max(error, run_id) AS error FROM ran GROUP BY source),
ok AS (
    SELECT source, max(run_as_of) AS last_ok FROM ran WHERE status = 'ok' GROUP BY source),
changed AS (  -- when the source's newest current body first landed (the as-of of that run)
    SELECT d.source, max(coalesce(r.as_of, r.started_at)) AS changed
    FROM current_documents d JOIN raw_documents x USING (source, url, sha256) JOIN runs r ON r.run_id = x.run_id
    GROUP BY d.source)
SELECT source, status, error, last_ok, changed
FROM last LEFT JOIN ok USING (source) LEFT JOIN changed USING (source)
ORDER BY source
"""


@dataclass
class SourceHealth:
    """One source's standing at `at`: its last status and how old its data is."""

    source: str
    status: str                 # the last run it ran in: ok, failed or held
    error: str | None
    last_ok: datetime | None    # as-of of the newest run it loaded in
    changed: datetime | None    # as-of of the run that first landed its newest current body
    stale_after_days: float | None
    at: datetime

    def _days(self, ts: datetime | None) -> float | None:
        return None if ts is None else (self.at - ts).total_seconds() / 86400

    @property
    def stale(self) -> str | None:
        """Why the source is stale at `at`, or None: no successful fetch, or no change of its body,
        for longer than its `stale_after_days` (pipeline/sources.yaml)."""
        limit = self.stale_after_days
        if limit is None:
            return None
        if self.last_ok is None:
            return "never fetched successfully"
        for what, ts in (("no successful fetch", self.last_ok), ("unchanged", self.changed)):
            days = self._days(ts)
            if days is not None and days > limit:
                return f"{what} for {days:.1f} d (since {ts.astimezone(timezone.utc):%Y-%m-%d}; limit {limit:g} d)"
        return None

    @property
    def problem(self) -> str | None:
        """What `versus status --check` names: failing, held or stale; None when the source is fine."""
        if self.status in ("failed", "held"):
            return f"{self.status}: {(self.error or '')[:300]}"
        return f"stale: {self.stale}" if self.stale else None


def measured_at(con: duckdb.DuckDBPyConnection) -> tuple[datetime, str]:
    """Where source ages are measured: the newest run's as-of if it replayed a snapshot (its date),
    else now; with a phrase saying which."""
    row = con.execute("SELECT snapshot, coalesce(as_of, started_at), started_at FROM runs "
                      "ORDER BY run_id DESC LIMIT 1").fetchone()
    if row and row[0] is not None:
        if row[1] == row[2]:
            return row[1], f"when the newest run replayed {row[0]} (the snapshot states no date)"
        return row[1], f"the date of the snapshot the newest run replayed ({row[0]})"
    return datetime.now(timezone.utc), "now (the newest run crawled live)"


def source_health(con: duckdb.DuckDBPyConnection) -> list[SourceHealth]:
    """Every source that has run (a source only ever skipped has no data to age), at the newest
    run's as-of (`measured_at`)."""
    from pipeline.source_policy import policy

    at, _ = measured_at(con)
    return [SourceHealth(s, st, e, ok, ch, policy(s).stale_after_days, at)
            for s, st, e, ok, ch in con.execute(SOURCE_HEALTH_SQL).fetchall()]
