"""The `runs` and `run_sources` ledger: what each refresh did, per source."""
from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb

from warehouse.load import SourceLoad


def start_run(con: duckdb.DuckDBPyConnection, snapshot: str | None) -> int:
    run_id = con.execute("SELECT nextval('run_ids')").fetchone()[0]
    con.execute("INSERT INTO runs (run_id, started_at, snapshot) VALUES (?, ?, ?)",
                [run_id, datetime.now(timezone.utc), snapshot])
    return run_id


def record_source(con: duckdb.DuckDBPyConnection, run_id: int, load: SourceLoad) -> None:
    con.execute(
        "INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, load.source, load.status, load.documents, load.observations, load.rejected,
         load.reason[:4000] or None, datetime.now(timezone.utc)])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int) -> str:
    """Close the run: ok when every source that ran loaded, failed when none loaded, partial otherwise.
    A skipped source (the snapshot holds nothing of it) did not run and counts neither way."""
    ok, ran = con.execute(
        "SELECT count(*) FILTER (status = 'ok'), count(*) FILTER (status <> 'skipped') "
        "FROM run_sources WHERE run_id = ?", [run_id]).fetchone()
    status = "failed" if ok == 0 else "ok" if ok == ran else "partial"
    con.execute("UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?",
                [datetime.now(timezone.utc), status, run_id])
    return status


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The data's date (UTC): the newest `effective_at` of the current documents (in a replay, the
    snapshot's date; live, the fetch time); None when there are none."""
    row = con.execute("SELECT CAST(timezone('UTC', max(effective_at)) AS DATE) FROM current_documents").fetchone()
    return row[0] if row else None
