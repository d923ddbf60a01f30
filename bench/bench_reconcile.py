"""Benchmark reconciliation on a recorded snapshot, and report how well ids resolve.

    python bench/bench_reconcile.py [--snapshot ../shared/snapshots/2026-08] [--earlier ../shared/snapshots/2026-01]

Lands the snapshot (with --earlier, that one first, reconciled on its own) into an in-memory
warehouse through the loader, then reconciles it twice: the first pass builds everything, the
second finds nothing changed. Reports observations, time per reconcile step, models, offerings,
price changes, conflicts per field and the share of ids resolved per source. Target: a few
seconds for the 2026-08 snapshot (~130k observations) on 2 cores; >= 97% of priced chat-model ids.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.db import apply_schema  # noqa: E402
from warehouse.load import load_snapshot_files  # noqa: E402
from warehouse.reconcile import reconcile  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "snapshots"


def land(con: duckdb.DuckDBPyConnection, folder: Path, fetched_at: datetime, run_id: int) -> None:
    load_snapshot_files(con, run_id, folder, fetched_at)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=SHARED / "2026-08")
    parser.add_argument("--earlier", type=Path, default=None)
    args = parser.parse_args()
    con = duckdb.connect()
    apply_schema(con)
    now = datetime.now(timezone.utc)
    run = 1
    if args.earlier:
        land(con, args.earlier, now - timedelta(days=1), run)
        reconcile(con, run, now - timedelta(days=1))
        run += 1
    land(con, args.snapshot, now, run)
    observations = con.execute("SELECT count(*) FROM current_observations").fetchone()[0]
    print(f"{args.snapshot}: {observations:,} current observations")
    for label in ("first reconcile", "unchanged reconcile"):
        started = time.perf_counter()
        summary = reconcile(con, run, now)
        seconds = time.perf_counter() - started
        steps = ", ".join(f"{k} {v:.2f}s" for k, v in summary.timings.items())
        print(f"{label}: {seconds:.2f}s ({steps})")
        print(f"  models {summary.models:,}, active offerings {summary.offerings:,}, new models "
              f"{len(summary.new_models):,}, retired offerings {summary.retired_offerings:,}, "
              f"price changes {len(summary.price_changes):,}, unresolved ids {summary.unresolved:,}, "
              f"ambiguous ids {summary.ambiguous:,}")
        run += 1
    print("conflicts per field: " + ", ".join(f"{k} {v}" for k, v in summary.conflicts.items()))
    print("ids resolved per source (priced chat-model ids):")
    for r in summary.resolution:
        print(f"  {r.source:13} {r.resolved:6,}/{r.total:<6,} {r.resolved / r.total:6.1%}   "
              f"{r.priced_chat_resolved:6,}/{r.priced_chat_total:<6,} "
              f"{r.priced_chat_resolved / max(r.priced_chat_total, 1):6.1%}")
    resolved = sum(r.priced_chat_resolved for r in summary.resolution)
    total = sum(r.priced_chat_total for r in summary.resolution)
    print(f"  {'all':13} priced chat-model ids {resolved:,}/{total:,} = {resolved / max(total, 1):.1%}")


if __name__ == "__main__":
    main()
