"""A full nightly refresh over a recorded snapshot, then a no-change rerun; prints time per step.

    python bench/bench_nightly.py [../shared/snapshots/2026-08]

Runs the same steps as the Prefect flow (`flows.refresh.refresh`), publishing included, twice
over: the four price sources, then the four with both leaderboards (LMArena, Aider), each into
a fresh warehouse. For each: the first run's wall time, and the rerun's wall time and its work
after the crawls (loads, reconcile, comparisons, audit, publish: the rerun's wall time less its
crawl phase), with how many models reconciliation recomputed. The load average is printed
with each run: the machine may be shared.
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from flows.refresh import PlainExecutor, RefreshOptions, refresh

PRICE_SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices"]
CONFIGS = {"four price sources": PRICE_SOURCES,
           "four price sources and both leaderboards": PRICE_SOURCES + ["lmarena", "aider"]}


class TimedExecutor(PlainExecutor):
    """The plain executor, timing each crawl phase (the crawls of a phase run in parallel)."""

    crawl_seconds = 0.0

    def crawl(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return super().crawl(*args, **kwargs)
        finally:
            self.crawl_seconds += time.perf_counter() - started


def run(label: str, options: RefreshOptions) -> tuple[float, float]:
    """One refresh; prints its figures; returns (wall, work after the crawls) in seconds."""
    load = os.getloadavg()[0]
    executor = TimedExecutor(options.parallel_crawls)
    started = time.perf_counter()
    report = refresh(options, progress=lambda line: None, executor=executor)
    wall = time.perf_counter() - started
    after = wall - executor.crawl_seconds
    print(f"\n{label}: {wall:.1f} s wall (crawl phase {executor.crawl_seconds:.1f} s, work after the crawls "
          f"{after:.1f} s), status {report.status}, load average {load:.1f} at the start")
    for step, seconds in report.timings.items():
        print(f"  {step:24} {seconds:6.2f} s")
    rec, cmp = report.reconcile, report.comparisons
    slowest = sorted(rec.timings.items(), key=lambda kv: -kv[1])[:4]
    print("  reconcile: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in slowest))
    print(f"  models {rec.models}, recomputed {rec.recomputed_models} ({rec.recompute_reason or 'no input changed'}); "
          f"offerings {rec.offerings}; pairs {cmp.pairs_total}, regenerated {cmp.pairs_regenerated}, "
          f"last_reviewed moved {cmp.last_reviewed_moved}")
    return wall, after


def main() -> None:
    snapshot = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared/snapshots/2026-08")
    results = {}
    for name, sources in CONFIGS.items():
        print(f"\n=== {name}: {', '.join(sources)}")
        with tempfile.TemporaryDirectory() as tmp:
            options = RefreshOptions(db=Path(tmp) / "bench.duckdb", snapshot=snapshot, sources=sources)
            first, _ = run("first run", options)
            rerun, after = run("no-change rerun", options)
            size = options.db.stat().st_size
        results[name] = (first, rerun, after, size)
    print()
    for name, (first, rerun, after, size) in results.items():
        print(f"{name}: first {first:.1f} s; rerun {rerun:.1f} s, {after:.1f} s of it after the crawls; "
              f"warehouse {size / 1e6:.0f} MB")
    print(f"peak memory: refresh process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          "(crawl children: see bench_ingest.py)")


if __name__ == "__main__":
    main()
