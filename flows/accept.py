"""`versus accept SOURCE`: apply a source's held documents after review.

A refresh holds a new document that states far fewer models/routes than its URL's last accepted one
(warehouse/load.py, `hold_below` in pipeline/sources.yaml): stored, not current. Accepting makes the
newest held document of each of the source's URLs current, in a run of its own (ledger row `ok`, the
as-of of the run before), then reconciles and regenerates comparisons, and publishes atomically.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from warehouse.db import connect
from warehouse.load import SourceLoad
from warehouse.publish import staged_warehouse
from warehouse.runs import finish_run, record_source, start_run

# Per URL of the source: the newest document that parsed, when it is held (an older held one was
# superseded by a document fetched since, and stays held).
HELD_SQL = """
SELECT url, sha256, held FROM raw_documents WHERE source = $1 AND parsed
QUALIFY row_number() OVER (PARTITION BY url ORDER BY last_fetched_at DESC) = 1 AND held IS NOT NULL
ORDER BY url
"""


class NothingHeld(ValueError):
    """The source has no held document newer than its current ones."""


def accept_held(db: Path, source: str, wait_seconds: float = 0, progress=print) -> str:
    """Apply `source`'s held documents; returns what was applied. NothingHeld when there is none."""
    from records.schema import TrafficProfile
    from warehouse.comparisons import ComparisonSettings, refresh_comparisons
    from warehouse.reconcile import reconcile
    from warehouse.runs import data_date

    with staged_warehouse(db, wait_seconds) as staged, connect(staged) as con:
        snapshot, as_of = con.execute(
            "SELECT snapshot, coalesce(as_of, started_at) FROM runs ORDER BY run_id DESC LIMIT 1").fetchone() or (None, None)
        con.execute("BEGIN TRANSACTION")
        accepted = con.execute(HELD_SQL, [source]).fetchall()
        if not accepted:
            con.execute("ROLLBACK")
            raise NothingHeld(f"{source} has no held document (see `versus status`)")
        for url, sha, _ in accepted:
            con.execute("UPDATE raw_documents SET held = NULL WHERE source = ? AND url = ? AND sha256 = ?",
                        [source, url, sha])
        run_id = start_run(con, snapshot, as_of)
        observations = sum(con.execute(
            "SELECT count(*) FROM observations WHERE source = ? AND url = ? AND document_sha256 = ?",
            [source, url, sha]).fetchone()[0] for url, sha, _ in accepted)
        record_source(con, run_id, SourceLoad(source, documents=len(accepted), observations=observations))
        con.execute("COMMIT")
        for url, _, why in accepted:
            progress(f"  {source}: accepted {url} ({why.split(';')[0]})")
        progress("reconciling sources")
        reconcile(con, run_id, datetime.now(timezone.utc))
        progress("regenerating comparisons")
        refresh_comparisons(con, run_id, (data_date(con) if snapshot else None) or date.today(),
                            ComparisonSettings(**TrafficProfile().model_dump()))
        status = finish_run(con, run_id)
    return (f"run {run_id}: {status}; accepted {len(accepted)} held {source} document(s), "
            f"{observations:,} observations now current; published {db}")
