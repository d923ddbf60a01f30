"""Benchmark scores in the warehouse and the records: resolution of leaderboard names, history,
copies, shared rows and who leads, on the demo snapshots and on the 2026-08 recording."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal as D

import duckdb
import pytest
import yaml

from flows.status import unresolved_leaderboard_models
from records.render import to_markdown
from tests.conftest import DEMO_SNAPSHOT, PROJECT_ROOT
from warehouse.comparisons import refresh_comparisons
from warehouse.db import apply_schema
from warehouse.load import load_snapshot_files
from warehouse.reconcile import reconcile
from warehouse.records import RecordBuilder, pair_record

EARLIER = PROJECT_ROOT / "snapshots" / "demo-earlier"
JAN = datetime(2026, 1, 15, tzinfo=timezone.utc)
AUG = datetime(2026, 8, 21, tzinfo=timezone.utc)
GEMINI, SONNET = "google/gemini-2.5-pro", "anthropic/claude-sonnet-4.5"


def six(x: float) -> D:
    return D(repr(x)).quantize(D("1e-6")).normalize()


def arena(folder) -> dict:
    return json.loads((folder / "lmarena" / "leaderboard-text.json").read_text())


@pytest.fixture(scope="module")
def demo():
    """demo-earlier (LMArena of 2025-11), then demo (LMArena of 2026-08), with comparisons."""
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot_files(con, 1, EARLIER, JAN)
    reconcile(con, 1, JAN)
    load_snapshot_files(con, 2, DEMO_SNAPSHOT, AUG)
    reconcile(con, 2, AUG)
    refresh_comparisons(con, 2, AUG.date())
    yield con
    con.close()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_leaderboard_names_resolve_with_their_setting(demo):
    aliases = dict(((s, i), (m, v)) for s, i, m, v in demo.execute(
        "SELECT source, source_id, model_id, variant FROM model_aliases WHERE source IN ('lmarena', 'aider')").fetchall())
    assert aliases["lmarena", "claude-sonnet-4-5-20250929-thinking-32k"] == (SONNET, "thinking-32k")
    assert aliases["lmarena", "claude-sonnet-4-5-20250929"] == (SONNET, None)
    assert aliases["lmarena", "gemini-2.5-pro"] == (GEMINI, None)
    assert aliases["aider", "o3"] == ("openai/o3", None)
    settings = {r[0] for r in demo.execute(
        "SELECT setting FROM benchmark_results WHERE model_id = 'openai/o3' AND source = 'aider'").fetchall()}
    assert settings == {None, "high"}  # 'o3' and 'o3 (high)': one model, two settings


def test_a_changed_rating_keeps_its_history(demo):
    old, new = arena(EARLIER)["full"]["gemini-2.5-pro"], arena(DEMO_SNAPSHOT)["full"]["gemini-2.5-pro"]
    assert old["rating"] != new["rating"]
    rows = demo.execute("""SELECT score, ci_low, ci_high, valid_from, valid_to FROM benchmark_results
        WHERE model_id = ? AND benchmark_id = 'lmarena-full' AND setting IS NULL ORDER BY valid_from""", [GEMINI]).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (six(old["rating"]), six(old["rating_q025"]), six(old["rating_q975"])),
        (six(new["rating"]), six(new["rating_q025"]), six(new["rating_q975"]))]
    assert rows[0][4] == rows[1][3] and rows[1][4] is None  # closed when the newer rating took effect


def test_models_dev_aider_rows_are_a_copy_not_a_second_witness(demo):
    runs = yaml.safe_load((DEMO_SNAPSHOT / "aider" / "polyglot_leaderboard.yml").read_text())
    o3 = {r["pass_rate_2"] for r in runs if r["command"].split("--model ")[1].split()[0] == "o3"}
    rows = demo.execute("""SELECT source, score, copy_of FROM benchmark_results
        WHERE model_id = 'openai/o3' AND benchmark_id = 'aider-polyglot' AND valid_to IS NULL""").fetchall()
    assert {(s, c) for s, _, c in rows} == {("aider", None)}, "models.dev's copy of Aider's o3 row is dropped"
    assert {float(score) for _, score, _ in rows} == o3
    kept = demo.execute("""SELECT source, copy_of FROM benchmark_results WHERE model_id = ?
        AND benchmark_id = 'aider-polyglot'""", [GEMINI]).fetchall()
    assert kept == [("modelsdev", "aider")], "no Aider run resolves to Gemini 2.5 Pro: the copy stays, labelled"


def test_shared_rows_compare_like_settings_and_state_significance(demo):
    board = arena(DEMO_SNAPSHOT)
    r = pair_record(demo, GEMINI, SONNET)
    rows = {row.benchmark_id: row for row in r.benchmarks.rows if row.benchmark_id.startswith("lmarena-")}
    assert set(rows) == {"lmarena-" + c.replace("_", "-") for c in board}
    for category, scores in board.items():
        row, a, b = rows["lmarena-" + category.replace("_", "-")], scores["gemini-2.5-pro"], scores["claude-sonnet-4-5-20250929"]
        assert (row.setting_a, row.setting_b) == (None, None)  # never the -thinking-32k row against a default one
        assert (row.score_a, row.score_b) == (six(a["rating"]), six(b["rating"]))
        apart = a["rating_q025"] > b["rating_q975"] or b["rating_q025"] > a["rating_q975"]
        assert row.outside_intervals is apart
        assert row.leader == (("a" if a["rating"] > b["rating"] else "b") if apart else None)
        assert row.source == "lmarena" and row.url
    pair = demo.execute("""SELECT shared_benchmark_rows, a_benchmark_leads, b_benchmark_leads, benchmark_ties
        FROM comparisons WHERE model_a = ? AND model_b = ?""", sorted([GEMINI, SONNET])).fetchone()
    leads_a = sum(x.leader == "a" for x in r.benchmarks.rows)  # A is Gemini, and model_a is the smaller id
    leads_b = sum(x.leader == "b" for x in r.benchmarks.rows)
    assert pair == (len(r.benchmarks.rows), leads_b, leads_a, len(r.benchmarks.rows) - leads_a - leads_b)
    full = rows["lmarena-full"]
    md = to_markdown(r)
    assert "## Benchmarks" in md and "LMArena text (overall)" in md
    if full.outside_intervals:
        assert any("LMArena text (overall)" in t and "outside both 95% intervals" in t for t in r.tradeoffs)
    for t in r.tradeoffs:  # a benchmark is cited only where shared and significant
        if "intervals" in t:
            assert any(x.benchmark in t and x.outside_intervals for x in r.benchmarks.rows), t


def test_every_demo_pair_states_significance_as_the_intervals_say(demo):
    """Over every pair of demo models on LMArena, each shared row against the file: an overlap of
    the two 95% intervals is no lead, a gap outside both is the better rating's lead."""
    board = arena(DEMO_SNAPSHOT)
    names = dict(demo.execute("SELECT model_id, source_id FROM model_aliases WHERE source = 'lmarena' "
                              "AND model_id IS NOT NULL AND variant IS NULL").fetchall())
    ids = sorted(m for m in names if demo.execute("SELECT 1 FROM comparison_models WHERE model_id = ?", [m]).fetchone())
    builder = RecordBuilder(demo, ids)
    seen = {True: 0, False: 0}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            r = builder.record(a, b)
            for row in r.benchmarks.rows:
                if row.source != "lmarena":
                    continue
                category = next(c for c in board if "lmarena-" + c.replace("_", "-") == row.benchmark_id)
                x, y = board[category][names[a]], board[category][names[b]]
                apart = x["rating_q025"] > y["rating_q975"] or y["rating_q025"] > x["rating_q975"]
                assert row.outside_intervals is apart, (a, b, category)
                assert row.leader == (("a" if x["rating"] > y["rating"] else "b") if apart else None)
                seen[apart] += 1
    assert seen[True] and seen[False]  # both cases occur in the demo


def test_status_lists_unresolved_leaderboard_models(demo):
    listed = unresolved_leaderboard_models(demo)
    stored = demo.execute("SELECT source, source_id FROM model_aliases WHERE model_id IS NULL "
                          "AND source IN ('lmarena', 'aider')").fetchall()
    assert sorted((s, i) for s, i, _ in listed) == sorted(stored)


# --- the 2026-08 recording ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def august(shared_snapshots):
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot_files(con, 1, shared_snapshots / "2026-08", AUG)
    reconcile(con, 1, AUG)
    refresh_comparisons(con, 1, AUG.date())
    yield con
    con.close()


def test_resolution_of_leaderboard_entries_on_2026_08(august, shared_snapshots):
    board = arena(shared_snapshots / "2026-08")["full"]
    runs = yaml.safe_load((shared_snapshots / "2026-08" / "aider" / "polyglot_leaderboard.yml").read_text())
    resolved = dict(august.execute("SELECT source_id, model_id FROM model_aliases WHERE source = 'lmarena'").fetchall())
    lm = sum(resolved.get(name) is not None for name in board)
    aider_rows = dict(august.execute("""SELECT b.source_row, a.model_id FROM current_benchmark_observations b
        JOIN model_aliases a ON a.source = b.source AND a.source_id = b.model_id WHERE b.source = 'aider'""").fetchall())
    ai = sum(aider_rows.get(r["dirname"]) is not None for r in runs)
    unresolved = unresolved_leaderboard_models(august)
    print(f"\nLMArena full: {lm}/{len(board)} = {lm / len(board):.1%} resolved (target 75%); "
          f"Aider polyglot: {ai}/{len(runs)} = {ai / len(runs):.1%} (target 85%). Unresolved:")
    for source, name, near in unresolved:
        print(f"  {source}: {name}  (nearest: {', '.join(near) or 'none'})")
    assert len(board) == 282 and len(runs) == 69
    assert ai / len(runs) >= 0.85
    # The 75% target is not met: 106 LMArena names (Vicuna, Alpaca, Gemini 1.5 snapshots...) name
    # models no price source lists on 2026-08; linking them to the nearest model would invent it.
    assert lm / len(board) >= 0.62
    # the ceiling the snapshot allows (issue 17): every name whose model a source lists, resellers
    # included; yi-34b-chat only at Fireworks, internlm2_5-20b-chat only at Ollama (LiteLLM's entries)
    assert lm >= 183
    assert {n: resolved.get(n) for n in ("yi-34b-chat", "internlm2_5-20b-chat")} == {
        "yi-34b-chat": "01-ai/yi-34b-chat", "internlm2_5-20b-chat": "internlm/internlm2_5-20b-chat"}
    # LMArena's own spellings, linked in aliases.yaml by the names the price sources give the models:
    assert {n: resolved.get(n) for n in ("llama-3.3-nemotron-49b-super-v1", "qwen2.5-max", "ministral-8b-2410",
                                         "openchat-3.5-0106")} == {
        "llama-3.3-nemotron-49b-super-v1": "nvidia/llama-3.3-nemotron-super-49b",  # "Llama 3.3 Nemotron Super 49B v1"
        "qwen2.5-max": "qwen/qwen-max-2025-01-25",  # models.dev: "Qwen2.5-Max-2025-01-25"
        "ministral-8b-2410": "mistralai/ministral-8b",  # "Ministral 8B 24.10"
        "openchat-3.5-0106": "openchat/openchat-3.5-0106-7b"}  # Fireworks: openchat-3p5-0106-7b
    assert {name for s, name, _ in unresolved if s == "lmarena"} == {n for n in board if resolved.get(n) is None} \
        | {n for n, m in resolved.items() if m is None}


def test_august_pairs_share_benchmark_rows_with_sources(august, shared_snapshots):
    stored = august.execute("SELECT count(*) FROM comparisons WHERE shared_benchmark_rows > 0").fetchone()[0]
    pairs = august.execute("""SELECT count(*) FROM comparison_benchmark_pairs() s
                              JOIN comparison_pair_keys(CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[])) k
                              USING (model_a, model_b)""").fetchone()[0]
    assert pairs > 10_000 and 0 < stored < pairs  # stored: the pairs people read (warehouse/comparisons.py)
    r = pair_record(august, GEMINI, SONNET)
    assert len(r.benchmarks.rows) >= 20 and all(row.source and row.url for row in r.benchmarks.rows)
    assert ("lmarena", "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json") in \
        {(d.source, d.url) for d in r.sources}
    catalogue = json.loads((shared_snapshots / "2026-08" / "models.dev" / "models.json").read_text())
    names = lambda m: {b["name"] for b in catalogue[m].get("benchmarks") or []}  # noqa: E731
    assert "SWE-Bench Pro" in names("anthropic/claude-sonnet-4-5") - names("google/gemini-2.5-pro")
    assert "SWE-Bench Pro (public set)" in r.benchmarks.only_b
    assert "Only Claude Sonnet 4.5 is evaluated on SWE-Bench Pro (public set)." in to_markdown(r)
