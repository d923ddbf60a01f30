"""Benchmark `versus export --to`: the first full export of a warehouse, then an unchanged re-export.

    python bench/bench_export.py --db W [--to postgresql://...] [--kind postgres|duckdb|file]

W is a warehouse refreshed from ../shared/snapshots/2026-08 (README: the refresh command for W).
The warehouse is copied into a temporary folder first, so that dlt's working folder beside it
starts empty. Without --to, postgres starts a throwaway PostgreSQL cluster (Debian's
`postgresql`, as the tests do). Each export runs as its own `versus export` process; reports wall
time, peak RSS of that process, rows sent and the machine's load average. Targets on 2 cores:
full < 120 s, unchanged < 5 s, < 1.5 GB.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warehouse.dlt_export import mask_url  # noqa: E402


def timed_export(db: Path, url: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, first output line) of one `versus export --to` process."""
    started = time.monotonic()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "versus"), "export", "--db", str(db), "--to", url],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"versus export failed ({proc.returncode}): {out[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.splitlines()[0] if out else ""


@contextlib.contextmanager
def destination(kind: str, url: str | None, tmp: Path):
    if url:
        yield url
    elif kind == "postgres":
        from tests.postgres import cluster

        with cluster() as server:
            yield server.create_database("versus_bench")
    elif kind == "duckdb":
        yield f"duckdb:///{tmp / 'dest.duckdb'}"
    else:
        yield f"file://{tmp / 'parquet'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--to", default=None)
    parser.add_argument("--kind", choices=("postgres", "duckdb", "file"), default="postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "w.duckdb"
        shutil.copy(args.db, db)
        with destination(args.kind, args.to, tmp) as url:
            print(f"destination {mask_url(url)}")
            for label in ("full", "unchanged"):
                wall, peak, line = timed_export(db, url)
                print(f"{label}: {wall:.1f} s wall, peak {peak:,.0f} MB; {line}")
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores shared: a loaded machine stretches wall times)")


if __name__ == "__main__":
    main()
