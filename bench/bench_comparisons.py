"""Benchmark the comparisons table and record rendering.

    python bench/bench_comparisons.py [--models 1500] [--offerings 4] [--records 3000] [--db PATH]

Without --db it synthesizes N models with M offerings each (plus capabilities, aliases, conflicts
and an all-ok run) into a temporary warehouse via SQL; with --db it copies that warehouse (e.g. one
built from ../shared/snapshots/2026-08) and measures it as is. Reports: tracked models and pairs,
full generation time, no-change incremental time, incremental time after 1% of prices change,
pairs with shared benchmark rows (LMArena, Aider, models.dev's benchmark rows, when the warehouse
has them), records built and rendered per second (Markdown, HTML and JSON each; then Markdown for
pairs with shared benchmark rows), peak RSS.
Targets on 2 cores: full < 60 s, no-change < 5 s, >= 1,000 records/s, < 2 GB.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records.render import to_html, to_json, to_markdown  # noqa: E402
from warehouse.comparisons import ComparisonSettings, refresh_comparisons  # noqa: E402
from warehouse.db import apply_schema  # noqa: E402
from warehouse.export import export_pages, pairs_of, stored_traffic  # noqa: E402
from warehouse.records import RecordBuilder  # noqa: E402

CAPS = ["vision", "multimodal_input", "function_calling", "tool_use", "structured_outputs", "reasoning",
        "code_execution"]
SOURCES = ["openrouter", "litellm", "modelsdev", "genai_prices", "huggingface"]


def synthesize(con: duckdb.DuckDBPyConnection, models: int, offerings: int) -> None:
    """N models, M offerings each on 40 providers, prices derived from hashes (deterministic)."""
    con.execute("INSERT INTO runs VALUES (1, now(), now(), NULL, 'ok')")
    con.execute("INSERT INTO run_sources SELECT 1, s, 'ok', 1, 0, 0, NULL, now() FROM unnest(?) t(s)", [SOURCES])
    con.execute("INSERT INTO raw_documents (source, url, sha256, run_id, fetched_at, last_run_id, last_fetched_at, "
                "as_of, parsed) VALUES ('openrouter', 'https://openrouter.ai/api/v1/models', 'sha', 1, now(), 1, now(), "
                "'2026-07-02', true)")
    con.execute("INSERT INTO providers SELECT 'p' || i, 'Provider ' || i, NULL FROM range(40) t(i)")
    con.execute("""INSERT INTO models SELECT 'vendor' || (i % 60) || '/model-' || i, 'Model ' || i, 'vendor' || (i % 60),
        NULL, DATE '2024-01-01' + CAST(i % 900 AS INTEGER), CASE WHEN i % 17 = 0 THEN NULL ELSE 8192 * (1 + i % 64) END,
        NULL, 1000000000 * (1 + i % 400), NULL, CASE WHEN i % 3 = 0 THEN 'moe' ELSE 'dense' END,
        CASE WHEN i % 2 = 0 THEN 'Apache-2.0' ELSE NULL END, NULL, i % 2 = 0, ['text'], ['text'], NULL
        FROM range(?) t(i)""", [models])
    con.execute("""INSERT INTO model_aliases (source, source_id, model_id, method) SELECT s, 'src-' || s || '-' || m.model_id, m.model_id, 'link'
        FROM models m, unnest(?) t(s) WHERE hash(m.model_id || s) % 3 <> 0""", [SOURCES])
    con.execute("""INSERT INTO model_capabilities SELECT m.model_id, c,
        CASE hash(m.model_id || c) % 3 WHEN 0 THEN 'yes' WHEN 1 THEN 'no' ELSE 'unknown' END, 'litellm', []
        FROM models m, unnest(?) t(c)""", [CAPS])
    con.execute("""INSERT INTO offering_listings (model_id, provider_id, source, route, first_seen, last_seen, active,
                                                   preferred)
        SELECT m.model_id, 'p' || ((hash(m.model_id) + j) % 40), 'litellm', m.model_id || ':' || j, now(), now(), true, true
        FROM models m, range(?) t(j)""", [offerings])
    # the listings' own prices (offerings' price columns), not ranked for the cost engine
    con.execute("""INSERT INTO offering_prices (model_id, provider_id, source, route, component, service_tier,
                                               threshold_tokens, threshold_inclusive, usd_per_mtok, in_force, valid_from,
                                               preferred, listing_price)
        SELECT model_id, provider_id, source, route, c, 'standard', 0, false,
               CAST((hash(model_id || substr(route, length(model_id) + 2) || CASE c WHEN 'output' THEN 'o' ELSE '' END)
                     % CASE c WHEN 'output' THEN 15000 ELSE 5000 END) / 1000.0 AS DECIMAL(18, 9)), true, now(), false, true
        FROM offering_listings, unnest(['input', 'output']) t(c)""")
    con.execute("""INSERT INTO lineage SELECT 'model', model_id, NULL, 'context_window', 'openrouter', NULL, model_id,
        'https://openrouter.ai/api/v1/models', 'sha', 'context_window', CAST(context_window AS VARCHAR), true
        FROM models WHERE context_window IS NOT NULL""")
    con.execute("""INSERT INTO conflicts (entity, field, candidates, chosen, chosen_source, reason) SELECT model_id, 'context_window',
        [{'source': 'openrouter', 'source_id': model_id, 'value': '131072'},
         {'source': 'litellm', 'source_id': model_id, 'value': '128000'}], '131072', 'openrouter', 'precedence'
        FROM models WHERE hash(model_id) % 10 = 0""")


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1500)
    parser.add_argument("--offerings", type=int, default=4)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--db", type=Path, help="measure a copy of this warehouse instead of synthetic rows")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory_limit (default 1GB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        if args.db:
            shutil.copyfile(args.db, path)
        con = duckdb.connect(str(path), config={"threads": 2, "memory_limit": args.memory_limit})
        apply_schema(con)
        if args.db:  # measure a full generation: start from an empty comparisons table
            con.execute("DELETE FROM comparisons; DELETE FROM comparison_models")
        else:
            _, seconds = timed(synthesize, con, args.models, args.offerings)
            print(f"synthesized {args.models:,} models x {args.offerings} offerings in {seconds:.1f} s")
        run_id = con.execute("SELECT coalesce(max(run_id), 1) FROM runs").fetchone()[0]
        every = ComparisonSettings(pairs="all")  # every pair stored (the nightly stores the read ones: bench_scale.py)
        full, t_full = timed(refresh_comparisons, con, run_id, date(2026, 8, 21), every)
        print(f"tracked models: {full.tracked_models:,}; pairs: {full.pairs_total:,}")
        shared, rows = con.execute("SELECT count(*) FILTER (WHERE shared_benchmark_rows > 0), "
                                   "coalesce(sum(shared_benchmark_rows), 0) FROM comparisons").fetchone()
        print(f"pairs with shared benchmark rows: {shared:,} ({rows:,} shared rows)")
        print(f"full generation: {t_full:.2f} s")
        same, t_same = timed(refresh_comparisons, con, run_id, date(2026, 8, 22), every)
        print(f"incremental, no change: {t_same:.2f} s (regenerated {same.pairs_regenerated:,}, "
              f"last_reviewed moved {same.last_reviewed_moved:,})")
        con.execute("UPDATE offering_prices SET usd_per_mtok = usd_per_mtok + 0.01 "
                    "WHERE listing_price AND component = 'input' AND valid_to IS NULL AND hash(model_id) % 100 = 0")
        some, t_some = timed(refresh_comparisons, con, run_id, date(2026, 8, 22), every)
        print(f"incremental, {some.models_changed} models changed: {t_some:.2f} s "
              f"(regenerated {some.pairs_regenerated:,})")
        pairs = pairs_of(con)[: args.records]
        builder, t_load = timed(RecordBuilder, con, {m for a, b, _ in pairs for m in (a, b)}, stored_traffic(con))
        print(f"facts for {len(builder.facts):,} models loaded in {t_load:.2f} s")
        for name, render in (("markdown", to_markdown), ("html", to_html), ("json", to_json)):
            started = time.perf_counter()
            for a, b, reviewed in pairs:
                render(builder.record(a, b, reviewed))
            rate = len(pairs) / (time.perf_counter() - started)
            print(f"records built and rendered as {name}: {rate:,.0f}/s (one process)")
        benched = con.execute("SELECT model_a, model_b, last_reviewed FROM comparisons WHERE shared_benchmark_rows > 0 "
                              "ORDER BY model_a, model_b LIMIT ?", [args.records]).fetchall()
        if benched:
            builder, t_load = timed(RecordBuilder, con, {m for a, b, _ in benched for m in (a, b)}, stored_traffic(con))
            started = time.perf_counter()
            for a, b, reviewed in benched:
                to_markdown(builder.record(a, b, reviewed))
            rate = len(benched) / (time.perf_counter() - started)
            print(f"records with shared benchmark rows built and rendered as markdown: {rate:,.0f}/s "
                  f"({len(benched):,} pairs; facts loaded in {t_load:.2f} s)")
        for fmt in ("md", "html"):
            started = time.perf_counter()
            export_pages(con, Path(tmp) / fmt, fmt, pairs, progress=lambda line: None)
            rate = len(pairs) / (time.perf_counter() - started)
            print(f"pages exported as {fmt} (facts loaded, rendered, written; {min(4, os.cpu_count() or 1)} "
                  f"processes): {rate:,.0f}/s")
        con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB (largest page-export worker: {workers:,.0f} MB)")


if __name__ == "__main__":
    main()
