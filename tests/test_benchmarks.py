"""Benchmarks as sources: the LMArena and Aider extractors and models.dev's benchmark rows on the
recorded payloads, bad rows, the curated benchmark file, leaderboard names, and the warehouse
tables they land in."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from decimal import Decimal as D

import duckdb
import pytest
import yaml

from pipeline import curated
from pipeline.benchmarks import BenchmarkFile, lookup
from pipeline.leaderboard_names import aider_command, aider_forms, lmarena_forms
from pipeline.observation import Document, SourceError
from pipeline.sources import aider, lmarena, modelsdev
from tests.conftest import DEMO_SNAPSHOT
from tests.test_ingest import ingest, variant

LMARENA = lmarena.URL
AIDER = aider.URL
NOW = datetime(2026, 8, 21, tzinfo=timezone.utc)


def doc(source: str, url: str, body: bytes) -> Document:
    return Document(source=source, url=url, fetched_at=NOW, sha256=hashlib.sha256(body).hexdigest(), body=body)


def six(x: float) -> D:
    return D(repr(x)).quantize(D("1e-6")).normalize()


# --- extractors on the recorded payloads -------------------------------------------------------

def test_lmarena_extracts_every_rating_with_its_interval(shared_snapshots):
    body = (shared_snapshots / "2026-08" / "lmarena" / "leaderboard-text.json").read_bytes()
    board = json.loads(body)
    out = lmarena.extract(doc("lmarena", LMARENA, body))
    assert len(out.benchmarks) == sum(len(models) for models in board.values()) and not out.rejections
    assert len(board["full"]) == 282
    assert sum(b.benchmark_id == "lmarena-full" for b in out.benchmarks) == 282
    name = "claude-sonnet-4-5-20250929-thinking-32k"
    row = next(b for b in out.benchmarks if b.model_id == name and b.benchmark_id == "lmarena-coding")
    given = board["coding"][name]
    assert (row.score, row.ci_low, row.ci_high) == (six(given["rating"]), six(given["rating_q025"]),
                                                     six(given["rating_q975"]))
    assert row.setting is None  # the setting is read from the name when it is resolved


def test_aider_extracts_every_run_with_its_setting(shared_snapshots):
    body = (shared_snapshots / "2026-08" / "aider" / "polyglot_leaderboard.yml").read_bytes()
    runs = yaml.safe_load(body)
    out = aider.extract(doc("aider", AIDER, body))
    assert len(out.benchmarks) == len(runs) == 69 and not out.rejections
    by_row = {b.source_row: b for b in out.benchmarks}
    for run in runs:
        got = by_row[run["dirname"]]
        assert got.score == D(str(run["pass_rate_2"])) and got.sample_size == run["test_cases"]
        assert str(got.evaluated_at) == str(run["date"])
    thinking = next(r for r in runs if r["model"] == "claude-3-7-sonnet-20250219 (32k thinking tokens)")
    assert (by_row[thinking["dirname"]].model_id, by_row[thinking["dirname"]].setting) == \
        ("anthropic/claude-3-7-sonnet-20250219", "thinking-32k")
    gpt5 = {by_row[r["dirname"]].setting for r in runs if r["model"].startswith("gpt-5 (")}
    assert gpt5 == {"high", "medium", "low"}


def test_modelsdev_benchmark_rows_are_normalized(shared_snapshots):
    body = (shared_snapshots / "2026-08" / "models.dev" / "models.json").read_bytes()
    catalogue = json.loads(body)
    rows = [(m, r) for m, e in catalogue.items() for r in e.get("benchmarks") or []]
    assert len({m for m, _ in rows}) == 97
    out = modelsdev.extract(doc("modelsdev", modelsdev.MODELS, body))
    bench_rejected = [r for r in out.rejections if (r.field or "").startswith("benchmark")]
    assert len(out.benchmarks) + len(bench_rejected) == len(rows) == 288
    assert not bench_rejected  # every spelling on 2026-08 is curated
    sakana = {b.benchmark_id for b in out.benchmarks if b.model_id == "sakana/fugu"}
    assert {"swe-bench-pro", "terminal-bench-2.1"} <= sakana  # written "SWE Bench Pro", "Terminal Bench 2.1"
    opus = [b for b in out.benchmarks if b.model_id == "anthropic/claude-opus-4-7" and b.benchmark_id == "terminal-bench-2.1"]
    assert {(b.harness, b.setting, b.score) for b in opus} >= {("Terminus-2", None, D("66.1")), ("Claude Code", "max", D("73.8"))}


def test_names_and_versions_map_to_one_benchmark_and_metrics_stay_apart():
    assert lookup("SWE Bench Pro").benchmark_id == lookup("SWE-Bench Pro", metric="resolve rate").benchmark_id
    assert lookup("Terminal Bench 2.1").benchmark_id == lookup("Terminal-Bench", "2.1", metric="pass@1").benchmark_id \
        == "terminal-bench-2.1"
    assert lookup("Terminal-Bench", "2.0", metric="pass@1") is None  # another version is not 2.1
    assert lookup("SWE-Atlas Codebase QnA", metric="score").benchmark_id != \
        lookup("SWE-Atlas Codebase QnA", metric="pass@1").benchmark_id
    assert lookup("SWE-Bench Pro", dataset="hard-aa", metric="pass@1").benchmark_id == "swe-bench-pro-hard-aa"


def test_a_typo_in_benchmarks_yaml_names_file_and_line():
    text = """lmarena: {url: u, metric: m, unit: points, min: 0, max: 10, categories: {full: F}}
benchmarks:
  - benchmark_id: a
    name: A
    metric: m
    unit: percent
    min: 0
    max: 100
    matchh: []
"""
    with pytest.raises(curated.CuratedFileError, match=r"benchmarks.yaml:9: benchmarks\[0\]\.matchh"):
        curated.load_text(text, "pipeline/benchmarks.yaml", BenchmarkFile)


# --- bad input ---------------------------------------------------------------------------------

def test_bad_rows_are_rejected_with_their_reason():
    board = {"full": {"ok": {"rating": 1300, "rating_q025": 1290, "rating_q975": 1310},
                      "text": {"rating": "high", "rating_q025": 1, "rating_q975": 2},
                      "outside": {"rating": 1300, "rating_q025": 1310, "rating_q975": 1320}},
             "made_up_category": {"x": {"rating": 1000, "rating_q025": 990, "rating_q975": 1010}}}
    out = lmarena.extract(doc("lmarena", LMARENA, json.dumps(board).encode()))
    assert [b.model_id for b in out.benchmarks] == ["ok"]
    reasons = {r.model_id: r.reason for r in out.rejections}
    assert "not a number" in reasons["text"]
    assert "does not contain the score 1300" in reasons["outside"]
    assert "made_up_category" in reasons["x"] and "benchmarks.yaml" in reasons["x"]
    runs = [{"model": "m", "command": "aider --model openai/m", "pass_rate_2": 140.0, "date": "2025-01-01"}]
    out = aider.extract(doc("aider", AIDER, yaml.safe_dump(runs).encode()))
    assert not out.benchmarks and "outside aider-polyglot's range [0, 100]" in out.rejections[0].reason


@pytest.mark.parametrize("extract, url, body, reason", [
    (lmarena.extract, LMARENA, b'[{"model": "x", "rating": 1}]', "expected object at $"),
    (lmarena.extract, LMARENA, b'{"full": [1, 2]}', "expected object at $.full"),
    (aider.extract, AIDER, b"dirname: x\nmodel: y\n", "expected a list of runs"),
    (aider.extract, AIDER, b"- dirname: x\n  model: y\n  command: aider --model y\n", "missing $[0].pass_rate_2"),
])
def test_a_changed_shape_is_a_source_error_naming_the_url(extract, url, body, reason):
    with pytest.raises(SourceError) as err:
        extract(doc("lmarena" if url == LMARENA else "aider", url, body))
    assert reason in str(err.value) and url in str(err.value)


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_leaderboard_with_nothing_usable_fails_only_its_source(tmp_path):
    db = tmp_path / "w.duckdb"
    first = ingest(db, DEMO_SNAPSHOT, ["lmarena", "litellm"], tmp_path / "spool")
    assert first["lmarena"].status == "ok" and first["lmarena"].observations > 0
    broken = {"full": {"gemini-2.5-pro": {"rating": 1500, "rating_q025": 1510, "rating_q975": 1520}}}
    loads = ingest(db, variant(tmp_path, {LMARENA: json.dumps(broken).encode()}), ["lmarena", "litellm"],
                   tmp_path / "spool")
    assert loads["lmarena"].status == "failed" and loads["litellm"].status == "ok"
    assert "no usable rows: 1 rejected" in loads["lmarena"].errors[0] and LMARENA in loads["lmarena"].errors[0]
    with duckdb.connect(str(db), read_only=True) as con:
        reason = con.execute("SELECT reason FROM rejected_observations WHERE source = 'lmarena'").fetchone()[0]
        current = con.execute("SELECT count(*) FROM current_benchmark_observations").fetchone()[0]
    assert "does not contain the score 1500" in reason
    assert current == first["lmarena"].observations, "the last good leaderboard stays current"


# --- leaderboard names -------------------------------------------------------------------------

def test_lmarena_names_give_the_model_and_the_setting():
    assert lmarena_forms("claude-sonnet-4-5-20250929-thinking-32k") == [
        ("claude-sonnet-4-5-20250929-thinking-32k", None), ("claude-sonnet-4-5-20250929", "thinking-32k")]
    assert lmarena_forms("gpt-5.1-high")[-1] == ("gpt-5.1", "high")
    assert lmarena_forms("gpt-5.1") == [("gpt-5.1", None)]
    assert lmarena_forms("qwen3-next-80b-a3b-thinking")[0] == ("qwen3-next-80b-a3b-thinking", None)  # tried whole first


@pytest.mark.parametrize("command, display, fields, model, setting", [
    ("aider --model gemini/gemini-2.0-pro-exp-02-05", "Gemini 2.0 Pro exp-02-05", {}, "gemini/gemini-2.0-pro-exp-02-05", None),
    ("aider --model openai/Qwen/Qwen2.5-Coder-32B-Instruct # via hyperbolic", "Qwen2.5-Coder-32B-Instruct", {},
     "openai/Qwen/Qwen2.5-Coder-32B-Instruct", None),
    ("OPENAI_API_BASE=https://dashscope-intl.aliyuncs.com/compatible-mode/v1 aider --model openai/qwen-max-2025-01-25",
     "qwen-max-2025-01-25", {}, "openai/qwen-max-2025-01-25", None),
    ("aider --model sonnet", "claude-3-7-sonnet-20250219 (no thinking)", {}, "claude-3-7-sonnet-20250219", "no-thinking"),
    ("aider --architect --model r1 --editor-model sonnet", "DeepSeek R1 + claude-3-5-sonnet-20241022",
     {"edit_format": "architect"}, "deepseek/deepseek-reasoner", "architect+claude-3-5-sonnet-20241022"),
    ("aider --model o3-mini --reasoning-effort high", "o3-mini (high)", {}, "o3-mini", "high"),
    ("aider --model o4-mini", "o4-mini (high)", {}, "o4-mini", "high"),
    ("aider --model claude-opus-4-20250514", "claude-opus-4-20250514 (32k thinking)", {"thinking_tokens": 32000},
     "claude-opus-4-20250514", "thinking-32k"),
    ("aider --model gemini/gemini-2.5-flash-preview-05-20", "gemini-2.5-flash-preview-05-20 (24k think)",
     {"thinking_tokens": 24576}, "gemini/gemini-2.5-flash-preview-05-20", "thinking-24k"),
    ("aider --model o3", "o3 (high) + gpt-4.1", {"edit_format": "architect", "reasoning_effort": "high",
                                                "editor_model": "gpt-4.1"}, "o3", "high+architect+gpt-4.1"),
])
def test_aider_commands_name_a_litellm_style_id(command, display, fields, model, setting):
    run = aider_command(command, display, fields.get("reasoning_effort"), fields.get("thinking_tokens"),
                        fields.get("edit_format"), fields.get("editor_model"))
    assert (run.model, run.setting) == (model, setting)


def test_aider_ids_are_looked_up_without_their_litellm_route():
    assert aider_forms("openrouter/openai/o1") == ["openai/o1", "o1"]
    assert aider_forms("fireworks_ai/accounts/fireworks/models/qwq-32b") == ["qwq-32b"]
    assert aider_forms("openai/Qwen/Qwen2.5-Coder-32B-Instruct") == ["Qwen/Qwen2.5-Coder-32B-Instruct",
                                                                      "Qwen2.5-Coder-32B-Instruct"]
    with pytest.raises(ValueError, match="no --model"):
        aider_command("aider --architect", "x")


def test_a_changed_benchmarks_shape_in_models_json_rejects_rows_not_the_catalogue():
    catalogue = {"acme/one": {"name": "One", "benchmarks": {"name": "SciCode", "score": 10}},
                 "acme/two": {"name": "Two", "benchmarks": [{"name": "SciCode", "score": 140},
                                                            {"name": "SciCode", "score": "n/a"},
                                                            {"name": "SciCode", "score": 12.5, "source": "https://x"}]}}
    out = modelsdev.extract(doc("modelsdev", modelsdev.MODELS, json.dumps(catalogue).encode()))
    assert {(o.model_id, o.field) for o in out.observations} >= {("acme/one", "name"), ("acme/two", "name")}
    assert [(b.model_id, b.score) for b in out.benchmarks] == [("acme/two", D("12.5"))]
    reasons = sorted(r.reason for r in out.rejections)
    assert any("not a list" in r for r in reasons) and any("outside scicode's range" in r for r in reasons)
    assert any("not a number" in r for r in reasons)
