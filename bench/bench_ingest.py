"""Ingest a recorded snapshot end to end (crawl through Scrapy, extract, load) and print figures.

    python bench/bench_ingest.py [../shared/snapshots/2026-08]

Prints wall time, peak memory (this process and the crawl children), documents and observations.
Target on 2 cores: under 60 s and under 1.5 GB. The recorded snapshots hold the four aggregator
sources and the two leaderboards (LMArena, Aider; no Hugging Face cards or pricing pages), so those
are the sources crawled.
"""
from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from flows.refresh import PlainExecutor, RefreshOptions
from warehouse.db import connect
from warehouse.runs import finish_run, start_run


SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices", "lmarena", "aider"]


def main() -> None:
    snapshot = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared/snapshots/2026-08")
    with tempfile.TemporaryDirectory() as tmp:
        spool, db = Path(tmp) / "spool", Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        con = connect(db)
        run_id = start_run(con, str(snapshot))
        options = RefreshOptions(db=db, snapshot=snapshot)
        executor = PlainExecutor()
        crawled = time.perf_counter()
        crawls = executor.crawl(SOURCES, spool, options, None)
        crawled = time.perf_counter() - crawled
        crawl_peaks = []
        for crawl in crawls:
            stats = json.loads((spool / crawl.source / "crawl.json").read_text())
            crawl_peaks.append(stats.get("memusage/max", 0) / 2**20)
            load = executor.load(con, run_id, crawl, spool)
            print(f"{crawl.source:13} {load.status:6} crawl {crawl.seconds:5.1f}s  documents {load.documents:5}  "
                  f"observations {load.observations:7}  rejected {load.rejected:5}")
        finish_run(con, run_id)
        docs, obs, bench = con.execute("SELECT (SELECT count(*) FROM raw_documents), (SELECT count(*) FROM observations), "
                                       "(SELECT count(*) FROM benchmark_observations)").fetchone()
        con.close()
        wall = time.perf_counter() - started
        size = db.stat().st_size
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"snapshot {snapshot}")
    print(f"wall time {wall:.1f} s (crawls {crawled:.1f} s in parallel child processes)")
    print(f"peak memory: loader {peak_self:.0f} MB, largest crawl child {max(crawl_peaks):.0f} MB (Scrapy's memusage/max)")
    print(f"documents {docs}, observations {obs}, benchmark scores {bench}, warehouse {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
