"""How the nightly grows with the number of models: 2026-08 as recorded, then cloned to ~3,000 and
~10,000 tracked models; time and peak memory per stage (load, reconcile, pairs, site).

    python bench/bench_scale.py [--snapshot ../shared/snapshots/2026-08] [--models 3000 10000] [--site]

How the synthetic warehouse is made, and why it stays honest: the real documents of the snapshot's
six sources (models.dev api.json and models.json, OpenRouter, LiteLLM, genai-prices, LMArena,
Aider) are extracted by their real extractors once per copy, and each copy's observations,
benchmark rows and rejections get synthetic source ids: the first word of the id's model part is
followed by a marker `sx<letter>` ('openai/gpt-4o' -> 'openai/gpt-sxa-4o', 'claude-3-5-sonnet-20241022' ->
'claude-sxa-3-5-sonnet-20241022'), so a copy keeps the vendor, date and variant words the
identity rules read, and one model's ids in every source stay one model. Names and the Hugging
Face ids / base models a copy states get the same marker, so a copy never joins its original. The
last copy holds only the ids whose parsed model name hashes under the fraction needed to reach
the target. Every copy lands in the current document of its URL through `warehouse.load._store`
(the loader's Arrow insert), then the real `reconcile`, `refresh_comparisons` and `build_site_file`
run on it, each stage in its own child process (peak RSS: the child's own, and its forked workers').
The clones exist only in this script's temporary directory, never in a snapshot or a record.
Not measured: crawls (per document, independent of the model count: bench_ingest.py), publish
(one file copy), the audit.
Pairs are refreshed twice: `all_pairs` stores every pair of one kind (on a copy, deleted after), `pairs` the
pairs people read, as the nightly does (warehouse/comparisons.py), then times `compare_pair` on pairs
it did not store.
Target at 10,000 models, on 2 cores: load + reconcile + pairs + site < 2 minutes, each < 4 GB.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices", "lmarena", "aider"]
RENAMED_TEXT = {"hugging_face_id", "base_model"}  # text fields naming another model or repo: marked too
FIRST_WORD = re.compile(r"^([^-\s]+)")


def synthetic(source_id: str | None, copy: int) -> str | None:
    """`source_id` of copy `copy` (1 -> marker 'sxa'); copy 0 is the real id."""
    if not source_id or copy == 0:
        return source_id
    head, slash, last = source_id.rpartition("/")
    marker = "sx" + "".join(chr(97 + int(d, 26)) for d in _base26(copy - 1))
    return head + slash + FIRST_WORD.sub(lambda m: f"{m.group(1)}-{marker}", last, count=1)


def _base26(n: int) -> str:
    digits = "0123456789abcdefghijklmnop"
    out = digits[n % 26]
    while n >= 26:
        n = n // 26 - 1
        out = digits[n % 26] + out
    return out


def kept(source_id: str | None, fraction: float) -> bool:
    """Whether a partial copy keeps this id: by its parsed model name, so one model's ids in every
    source are kept or dropped together."""
    from pipeline.identity.names import key, parse

    if fraction >= 1 or not source_id:
        return True
    return zlib.crc32(key(parse(source_id).slug).encode()) % 10_000 < fraction * 10_000


def _cloned(result, copy: int, fraction: float):
    """The extraction of one copy: every statement's source id (and naming text) marked."""
    from pipeline.observation import Extraction

    out = Extraction(result.doc)
    if copy == 0:
        return result
    for o in result.observations:
        if kept(o.model_id, fraction):
            update = {"model_id": synthetic(o.model_id, copy)}
            if o.field in RENAMED_TEXT and isinstance(o.value, str):
                update["value"] = synthetic(o.value, copy)
            elif o.field == "name" and isinstance(o.value, str):
                update["value"] = f"{o.value} (synthetic {copy})"
            out.observations.append(o.model_copy(update=update))
    out.benchmarks = [b.model_copy(update={"model_id": synthetic(b.model_id, copy)})
                      for b in result.benchmarks if kept(b.model_id, fraction)]
    out.rejections = [r.model_copy(update={"model_id": synthetic(r.model_id, copy)})
                      for r in result.rejections if kept(r.model_id, fraction)]
    return out


def stage_load(db: Path, snapshot: Path, factor: float) -> dict:
    """An empty warehouse; every document extracted once per copy, all copies stored as its current body."""
    import hashlib

    from pipeline.observation import Extraction
    from pipeline.sources import extract
    from scrapers.snapshot import Snapshot
    from warehouse.db import connect
    from warehouse.load import SNAPSHOT_FOLDER_SOURCE, SourceLoad, _store
    from warehouse.runs import finish_run, record_source, start_run

    snap = Snapshot(snapshot)
    copies = math.ceil(factor)
    con = connect(db)
    run_id = start_run(con, str(snapshot), snap.data_date)
    fetched = datetime.now(timezone.utc)
    loads: dict[str, SourceLoad] = {}
    for entry in snap.manifest.sources:
        top = entry.file.split("/")[0]
        source = SNAPSHOT_FOLDER_SOURCE.get(top, top)
        if source not in SOURCES:
            continue
        body = snap.read(entry)
        doc_args = dict(source=source, url=entry.url, fetched_at=fetched, content_type=entry.content_type,
                        as_of=entry.as_of, data_date=snap.data_date, sha256=hashlib.sha256(body).hexdigest(),
                        body=body)
        from pipeline.observation import Document

        doc = Document(**doc_args)
        merged = Extraction(doc)
        for copy in range(copies):
            fraction = factor - copy if copy == copies - 1 else 1.0
            part = _cloned(extract(doc), copy, fraction)  # the real extractor, once per copy
            merged.observations += part.observations
            merged.benchmarks += part.benchmarks
            merged.rejections += part.rejections
        con.execute("BEGIN TRANSACTION")
        _store(con, run_id, doc, merged, None)
        con.execute("COMMIT")
        load = loads.setdefault(source, SourceLoad(source))
        load.documents += 1
        load.observations += len(merged.observations) + len(merged.benchmarks)
        load.rejected += len(merged.rejections)
    for load in loads.values():
        record_source(con, run_id, load)
    finish_run(con, run_id)
    observations = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    scores = con.execute("SELECT count(*) FROM benchmark_observations").fetchone()[0]
    con.close()
    return {"run_id": run_id, "copies": copies, "observations": observations, "benchmark_observations": scores}


def stage_reconcile(db: Path) -> dict:
    import duckdb

    from warehouse.db import apply_schema
    from warehouse.reconcile import reconcile

    con = duckdb.connect(str(db))
    apply_schema(con)
    run_id = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
    summary = reconcile(con, run_id, datetime.now(timezone.utc))
    out = {"models": summary.models, "offerings": summary.offerings}
    con.close()
    return out


def stage_pairs(db: Path, mode: str = "read", memory_limit: str = "4GB") -> dict:
    """refresh_comparisons as the nightly runs it (`read`: the pairs people read), or with every
    pair stored (`all`, on a copy of the warehouse, deleted after, DuckDB held to `memory_limit`:
    the machine is shared, and unbounded it takes most of its memory); then compare_pair for pairs
    not stored (median of 20, in this process)."""
    import shutil
    import statistics

    import duckdb

    from warehouse.comparisons import ComparisonSettings, refresh_comparisons
    from warehouse.db import apply_schema
    from warehouse.runs import data_date

    path, config = db, {}
    if mode == "all":
        path = db.with_name("all-pairs.duckdb")
        shutil.copyfile(db, path)
        config = {"memory_limit": memory_limit, "temp_directory": str(db.with_name("all-pairs.tmp"))}
    con = duckdb.connect(str(path), config=config)
    apply_schema(con)
    run_id = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
    summary = refresh_comparisons(con, run_id, data_date(con), ComparisonSettings(pairs=mode))
    out = {"tracked": summary.tracked_models, "pairs": summary.pairs_total, "db_mb": path.stat().st_size / 1e6}
    if mode == "read":
        out["kinds"] = dict(con.execute(
            "SELECT coalesce(kind, 'unknown'), count(*) FROM comparison_models GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["all_pairs"] = con.execute("SELECT count(*) FROM comparison_pair_keys(NULL, NULL)").fetchone()[0]
        sample = con.execute("""SELECT model_a, model_b FROM comparison_pair_keys(NULL, NULL) k
            WHERE NOT EXISTS (SELECT 1 FROM comparisons c WHERE c.model_a = k.model_a AND c.model_b = k.model_b)
            ORDER BY hash(model_a || model_b) LIMIT 20""").fetchall()
        times = []
        for a, b in sample:
            started = time.perf_counter()
            con.execute("SELECT * FROM compare_pair(?, ?)", [b, a]).fetchall()
            times.append(time.perf_counter() - started)
        out["compare_pair_ms"] = statistics.median(times) * 1000 if times else None
    con.close()
    if mode == "all":
        path.unlink()
    return out


def stage_site(db: Path, out: Path) -> dict:
    from warehouse.site.builder import build_site_file

    report = build_site_file(db, out, progress=lambda line: None)
    return {"model_pages": report.model_pages, "pair_pages": report.pair_pages}


STAGES = {"load": stage_load, "reconcile": stage_reconcile, "all_pairs": stage_pairs, "pairs": stage_pairs,
          "site": stage_site}


def child(args: argparse.Namespace) -> None:
    """One stage in this process; prints its figures as one JSON line."""
    started = time.perf_counter()
    if args.stage == "load":
        figures = stage_load(args.db, args.snapshot, args.factor)
    elif args.stage == "site":
        figures = stage_site(args.db, args.db.parent / "site")
    elif args.stage == "all_pairs":
        figures = stage_pairs(args.db, "all", args.all_pairs_memory)
    else:
        figures = STAGES[args.stage](args.db)
    figures["seconds"] = time.perf_counter() - started
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["cpu_seconds"] = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("FIGURES " + json.dumps(figures, default=str), flush=True)


def run_stage(stage: str, db: Path, snapshot: Path, factor: float, options: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--stage", stage, "--db", str(db), "--snapshot", str(snapshot),
               "--factor", str(factor), "--all-pairs-memory", options.all_pairs_memory]
    timeout = options.all_pairs_timeout if stage == "all_pairs" else None
    try:
        proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:  # subprocess.run kills the child
        db.with_name("all-pairs.duckdb").unlink(missing_ok=True)
        return {"timed_out": True, "seconds": float(timeout), "cpu_seconds": float("nan"), "peak_mb": float("nan"),
                "workers_peak_mb": 0.0, "pairs": 0, "db_mb": float("nan")}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("FIGURES ")]
    if stage == "all_pairs" and proc.returncode and "Out of Memory" in proc.stderr:
        db.with_name("all-pairs.duckdb").unlink(missing_ok=True)
        return {"out_of_memory": True, "seconds": float("nan"), "cpu_seconds": float("nan"),
                "peak_mb": float("nan"), "workers_peak_mb": 0.0, "pairs": 0, "db_mb": float("nan")}
    if proc.returncode or not lines:
        raise SystemExit(f"stage {stage} at factor {factor} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("FIGURES "))


def measure(tmp: Path, snapshot: Path, factor: float, stages: list[str], options: argparse.Namespace) -> dict:
    folder = tmp / f"x{factor:.3f}"
    folder.mkdir()
    db = folder / "w.duckdb"
    figures = {stage: run_stage(stage, db, snapshot, factor, options) for stage in stages}
    figures["db_mb"] = db.stat().st_size / 1e6
    return figures


def report(factor: float, f: dict) -> None:
    pairs = f["pairs"]
    print(f"\nx{factor:.2f}: {f['load']['copies']} copies; {f['load']['observations']:,} observations, "
          f"{f['load']['benchmark_observations']:,} benchmark rows; {f['reconcile']['models']:,} models, "
          f"{f['reconcile']['offerings']:,} offerings; {pairs['tracked']:,} tracked ({pairs['kinds']}); "
          f"{pairs['all_pairs']:,} pairs of one kind, {pairs['pairs']:,} stored (the pairs people read); "
          f"warehouse {f['db_mb']:,.0f} MB" + (f" ({f['all_pairs']['db_mb']:,.0f} MB with every pair stored)"
                                               if f.get("all_pairs", {}).get("pairs") else ""))
    total = 0.0
    for stage in STAGES:
        if stage in f:
            s = f[stage]
            total += 0 if stage == "all_pairs" else s["seconds"]
            extra = {"site": lambda: f" ({s['model_pages']:,} model pages, {s['pair_pages']:,} pair pages)",
                     "all_pairs": lambda: (" (every pair: out of memory at the limit)" if s.get("out_of_memory") else
                                           f" (every pair: not done after {s['seconds']:.0f} s)" if s.get("timed_out") else
                                           f" (every pair stored: {s['pairs']:,} rows; instead of `pairs`)"),
                     "pairs": lambda: f" (compare_pair of a pair not stored: median {s['compare_pair_ms']:.0f} ms)"}
            print(f"  {stage:10} {s['seconds']:7.1f} s wall, {s['cpu_seconds']:7.1f} s CPU; peak {s['peak_mb']:6,.0f} MB"
                  f" (forked workers {s['workers_peak_mb']:,.0f} MB){extra.get(stage, lambda: '')()}")
    cpu = sum(f[s]["cpu_seconds"] for s in ("load", "reconcile", "pairs", "site") if s in f)
    print(f"  {'nightly':10} {total:7.1f} s wall, {cpu:7.1f} s CPU (load + reconcile + pairs + site)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=ROOT.parent / "shared" / "snapshots" / "2026-08")
    parser.add_argument("--models", type=int, nargs="*", default=[3000, 10000],
                        help="tracked-model targets after the real run (default 3000 10000)")
    parser.add_argument("--no-site", action="store_true", help="leave the site stage out")
    parser.add_argument("--no-all-pairs", action="store_true", help="leave out the every-pair refresh")
    parser.add_argument("--all-pairs-memory", default="4GB", help="DuckDB memory_limit of the every-pair refresh")
    parser.add_argument("--all-pairs-timeout", type=float, default=300, help="seconds the every-pair refresh may take")
    parser.add_argument("--stage", choices=list(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--factor", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        return child(args)
    stages = (["load", "reconcile"] + ([] if args.no_all_pairs else ["all_pairs"]) + ["pairs"]
              + ([] if args.no_site else ["site"]))
    results: dict[float, dict] = {}
    with tempfile.TemporaryDirectory(prefix="versus-scale-") as tmp:
        results[1.0] = measure(Path(tmp), args.snapshot, 1.0, stages, args)
        report(1.0, results[1.0])
        real = results[1.0]["pairs"]["tracked"]
        for target in args.models:
            factor = target / real
            results[factor] = measure(Path(tmp), args.snapshot, factor, stages, args)
            report(factor, results[factor])
    base = results[1.0]
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (wall times grow with it; CPU times less so)")
    print("\ngrowth against the real warehouse (time, peak memory):")
    for factor, f in results.items():
        if factor == 1.0:
            continue
        cells = [f"{s} x{f[s]['seconds'] / base[s]['seconds']:.1f} time, x{f[s]['peak_mb'] / base[s]['peak_mb']:.1f} memory"
                 for s in stages]
        print(f"  {f['pairs']['tracked']:,} tracked models (x{f['pairs']['tracked'] / base['pairs']['tracked']:.1f}), "
              f"pairs of one kind x{f['pairs']['all_pairs'] / base['pairs']['all_pairs']:.1f}, "
              f"stored x{f['pairs']['pairs'] / max(base['pairs']['pairs'], 1):.1f}: " + "; ".join(cells))


if __name__ == "__main__":
    main()
