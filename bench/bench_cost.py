"""Benchmark `versus cost`: wall time of the real command (a fresh process: start-up, warehouse
opened read-only, routes priced), and of the pricing alone in one process.

    python bench/bench_cost.py --db W [--model google/gemini-2.5-pro] [--runs 5]

W is a warehouse refreshed from ../shared/snapshots/2026-08. Target: the command answers in < 1 s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from records.cost import Usage, profiles  # noqa: E402
from warehouse.costs import route_costs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--model", default="google/gemini-2.5-pro")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    versus = [str(Path(sys.executable).parent / "versus"), "cost", args.model, "--db", str(args.db)]
    cases = {"one request, every route (json)": ["--input-tokens", "250000", "--output-tokens", "1000", "--format", "json"],
             "batch, one provider": ["--provider", "google", "--input-tokens", "250000", "--output-tokens", "1000", "--batch"],
             "a month of the agent profile": ["--profile", "agent"]}
    for label, extra in cases.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            proc = subprocess.run(versus + extra, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            assert proc.returncode == 0, proc.stderr
        print(f"versus cost, {label}: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
              f"({args.runs} runs)")
    con = duckdb.connect(str(args.db), read_only=True)
    usage = Usage(input_tokens=250_000, output_tokens=1_000)
    started = time.perf_counter()
    routes = route_costs(con, args.model, usage)
    print(f"pricing alone: {len(routes)} routes in {(time.perf_counter() - started) * 1000:.1f} ms")
    started = time.perf_counter()
    for p in profiles().profiles:
        route_costs(con, args.model, p.usage)
    print(f"every profile: {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
