"""Benchmark `versus site`: a full build, an unchanged rebuild, and a full build in one process.

    python bench/bench_site.py [--db W] [--pairs nearest]

Without --db it refreshes a temporary warehouse from ../shared/snapshots/2026-08 (the four
aggregator sources, as the README's other benchmarks do). Reports, for each build: wall time,
pages (index, model and pair pages), pages per second, files rendered and written, and the site's
size on disk and CPU seconds spent (with the forked renderers); then peak RSS and the machine's
load average (a loaded machine stretches wall times, not CPU seconds). Targets on 2 cores: full < 60 s (in one process too), unchanged < 5 s.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warehouse.site import build_site  # noqa: E402

SNAPSHOT = ROOT.parent / "shared" / "snapshots" / "2026-08"


def refreshed(tmp: Path) -> Path:
    db = tmp / "w.duckdb"
    cmd = [sys.executable, "-m", "flows.cli", "refresh", "--snapshot", str(SNAPSHOT), "--db", str(db)]
    for source in ("modelsdev", "openrouter", "litellm", "genai_prices"):
        cmd += ["-s", source]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return db


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file())


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked renderers)."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a refreshed warehouse (default: refresh one from 2026-08)")
    parser.add_argument("--pairs", default="nearest", help="pair selection (nearest, config, none, all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or refreshed(Path(tmp))
        con = duckdb.connect(str(db), read_only=True)
        # The Prefect flow's tasks run on threads, where the renderers never fork (warehouse.forks):
        # the last build is a full one, into a new folder, in this process alone, as the flow builds it.
        for label, workers, folder in (("full", None, "site"), ("unchanged", None, "site"),
                                       ("in-process", 1, "site-in-process")):
            out = Path(tmp) / folder
            started, cpu = time.perf_counter(), _cpu()
            report = build_site(con, out, args.pairs, progress=lambda _: None, workers=workers)
            wall, cpu = time.perf_counter() - started, _cpu() - cpu
            steps = ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
            print(f"{label:10}: {wall:5.1f} s, {report.pages:,} pages ({report.model_pages:,} models, "
                  f"{report.pair_pages:,} pairs), {report.pages / wall:,.0f} pages/s; rendered {report.rendered:,}, "
                  f"wrote {report.written:,} files; site {size(out) / 1e6:,.0f} MB; CPU {cpu:.1f} s ({steps})")
        con.close()
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB (largest renderer "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
