"""Freshness: a source is stale when, at the newest run's as-of (a replay's: its snapshot's date;
live: now), its last successful fetch or the last change of its body is older than its
`stale_after_days` (pipeline/sources.yaml). `versus status --check` names each stale, failing or
held source and exits 1; 0 otherwise."""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import DEMO_SNAPSHOT
from tests.replay_helpers import LITELLM, replay, snapshot_copy
from tests.test_cli import versus
from warehouse.load import SourceLoad
from warehouse.runs import finish_run, measured_at, record_source, source_health, start_run

GENAI_FILE = "genai_prices/data.json"
PRICE_SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices"]


def snapshot_date(root: Path) -> datetime:
    """The newest timestamp as-of in a manifest, read here from the JSON (LiteLLM's is a version)."""
    stamps = []
    for entry in json.loads((root / "manifest.json").read_text())["sources"]:
        try:
            stamp = datetime.fromisoformat(entry["as_of"])
        except (TypeError, ValueError):
            continue
        stamps.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc))
    return max(stamps)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    """LiteLLM and genai-prices replayed from the demo snapshot (dated 2026-08-22): both fresh."""
    tmp = tmp_path_factory.mktemp("stale")
    loads, status = replay(tmp / "w.duckdb", DEMO_SNAPSHOT, ["litellm", "genai_prices"], tmp / "spool")
    assert status == "ok"
    proc = versus("status", "--check", "--db", str(tmp / "w.duckdb"))
    assert proc.returncode == 0 and "all 2 sources fresh and loading, at 2026-08-22 00:00 UTC" in proc.stdout
    return tmp / "w.duckdb"


@pytest.fixture
def db(demo_run, tmp_path) -> Path:
    shutil.copy(demo_run, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb"


def later(tmp_path: Path, when: str, sources=("litellm", "genai_prices"), **kwargs) -> Path:
    """The demo's files of `sources` unchanged, genai-prices dated `when` (so the snapshot is)."""
    return snapshot_copy(tmp_path / f"at-{when[:10]}", set(sources), as_of={GENAI_FILE: when}, **kwargs)


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("when, stale", [("2026-08-26T00:00:00+00:00", True), ("2026-08-25T00:00:00+00:00", False)])
def test_a_source_not_fetched_for_longer_than_its_limit_is_stale(db, tmp_path, when, stale):
    """LiteLLM (limit 3 days) last loaded on 2026-08-22; a replay dated 4 (3) days later of genai-prices alone."""
    snapshot = later(tmp_path, when)
    replay(db, snapshot, ["genai_prices"], tmp_path / "spool")
    proc = versus("status", "--check", "--db", str(db))
    days = (snapshot_date(snapshot) - snapshot_date(DEMO_SNAPSHOT)).total_seconds() / 86400
    if stale:
        assert proc.returncode == 1, proc.stdout
        assert proc.stdout.splitlines()[1:] == [
            f"litellm: stale: no successful fetch for {days:.1f} d (since 2026-08-22; limit 3 d)"]
    else:
        assert proc.returncode == 0, proc.stdout


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_source_that_answers_but_stops_changing_is_stale(db, tmp_path):
    """Both sources fetched ok 19 days on, with the bodies they had: an upstream that stopped publishing."""
    snapshot = later(tmp_path, "2026-09-10T00:00:00+00:00")
    loads, status = replay(db, snapshot, ["litellm", "genai_prices"], tmp_path / "spool")
    assert status == "ok" and all(load.unchanged == 1 for load in loads.values())
    proc = versus("status", "--check", "--db", str(db))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [
        "genai_prices: stale: unchanged for 19.0 d (since 2026-08-22; limit 14 d)",
        "litellm: stale: unchanged for 19.0 d (since 2026-08-22; limit 3 d)"]
    table = versus("status", "--db", str(db)).stdout
    assert re.search(r"^litellm .* stale: unchanged for 19\.0 d", table, re.M), table


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_failing_source_is_named_by_the_check(db, tmp_path):
    snapshot = later(tmp_path, "2026-08-23T00:00:00+00:00")
    manifest = json.loads((snapshot / "manifest.json").read_text())
    for entry in manifest["sources"]:
        entry["status"] = 500 if entry["url"] == LITELLM else entry["status"]
    (snapshot / "manifest.json").write_text(json.dumps(manifest))
    loads, _ = replay(db, snapshot, ["litellm", "genai_prices"], tmp_path / "spool")
    proc = versus("status", "--check", "--db", str(db))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [f"litellm: failed: {LITELLM}: HTTP 500"]


def test_a_live_runs_ages_are_measured_now(con):
    """A live run four days ago that loaded LiteLLM: at `versus status` time (now), four days old."""
    run_id = start_run(con, None)
    record_source(con, run_id, SourceLoad("litellm", documents=1))
    finish_run(con, run_id)
    (started,) = con.execute("SELECT as_of FROM runs").fetchone()
    assert abs(started - datetime.now(timezone.utc)) < timedelta(minutes=1), "a live run's as-of is when it ran"
    con.execute("UPDATE runs SET started_at = started_at - INTERVAL 4 DAY, as_of = as_of - INTERVAL 4 DAY")
    at, where = measured_at(con)
    assert abs(at - datetime.now(timezone.utc)) < timedelta(minutes=1) and where == "now (the newest run crawled live)"
    (health,) = source_health(con)
    assert health.stale.startswith("no successful fetch for 4.0 d")


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_replaying_2026_01_then_only_models_dev_of_2026_08_leaves_openrouter_and_litellm_stale(
        shared_snapshots, tmp_path):
    db, older, newer = tmp_path / "w.duckdb", shared_snapshots / "2026-01", shared_snapshots / "2026-08"

    def refresh(snapshot: Path, *sources: str):
        proc = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), *[a for s in sources for a in ("-s", s)])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    refresh(older, "modelsdev", "openrouter", "litellm")
    assert versus("status", "--check", "--db", str(db)).returncode == 0

    summary = refresh(newer, "modelsdev").stdout
    days = (snapshot_date(newer) - snapshot_date(older)).total_seconds() / 86400
    assert 210 < days < 220, "about seven months"
    since = f"since {snapshot_date(older).astimezone(timezone.utc):%Y-%m-%d}"
    proc = versus("status", "--check", "--db", str(db))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [
        f"litellm: stale: no successful fetch for {days:.1f} d ({since}; limit 3 d)",
        f"openrouter: stale: no successful fetch for {days:.1f} d ({since}; limit 3 d)"]
    assert (f"Stale sources: litellm: no successful fetch for {days:.1f} d ({since}; limit 3 d); openrouter: "
            in summary), summary

    # real growth is never held: LiteLLM 1,759 -> 4,553 entries, although 466 of the old ones disappeared
    summary = refresh(newer, *PRICE_SOURCES).stdout
    for source in PRICE_SOURCES:
        assert f"| {source} | ok |" in summary, summary
    assert "Freshness: all 4 sources within their limits" in summary
    proc = versus("status", "--check", "--db", str(db))
    assert proc.returncode == 0 and proc.stdout.startswith("all 4 sources fresh and loading, at 2026-08-21 20:02 UTC")


def test_every_source_has_a_policy_and_a_typo_names_file_and_line():
    from pipeline import curated
    from pipeline.source_policy import SourcePolicies, policies
    from pipeline.sources import EXTRACTORS

    assert set(policies().sources) == set(EXTRACTORS)
    text = (Path(curated.__file__).parent / "sources.yaml").read_text()
    broken = text.replace("  litellm:", "  litellm:\n    stale_afterdays: 3", 1)
    with pytest.raises(curated.CuratedFileError, match=r"^pipeline/sources.yaml:\d+: sources.litellm.stale_afterdays: "
                                                       "Extra inputs are not permitted"):
        curated.load_text(broken, "pipeline/sources.yaml", SourcePolicies)


@pytest.mark.slow  # more than 5 s
def test_a_page_that_depends_on_a_stale_source_says_so_beside_last_reviewed(tmp_path):
    db, pair = tmp_path / "w.duckdb", ["anthropic/claude-sonnet-4.5", "google/gemini-2.5-pro"]
    assert versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db),
                  *[a for s in PRICE_SOURCES for a in ("-s", s)]).returncode == 0

    def reviewed() -> str:
        proc = versus("compare", *pair, "--db", str(db))
        assert proc.returncode == 0, proc.stderr
        return next(line for line in proc.stdout.splitlines() if line.startswith("Last reviewed:"))

    assert "Stale" not in reviewed()
    site = tmp_path / "site"

    def model_page() -> str:
        proc = versus("site", "--out", str(site), "--db", str(db))
        assert proc.returncode == 0, proc.stderr
        return (site / "models" / "anthropic-claude-sonnet-4.5.html").read_text(encoding="utf-8")

    assert "Stale source" not in model_page()
    # four days on, only genai-prices loads: LiteLLM and OpenRouter (limit 3 days) are stale, models.dev (7) is not
    snapshot = later(tmp_path, "2026-08-26T00:00:00+00:00", sources=("genai_prices",))
    assert versus("refresh", "--snapshot", str(snapshot), "--db", str(db), "-s", "genai_prices").returncode == 0
    line = reviewed()
    assert line.startswith("Last reviewed: 2026-08-22, the latest run that fetched every source this page depends on")
    assert line.endswith(" successfully. Stale source: litellm, no successful fetch for 4.0 d (since 2026-08-22; "
                         "limit 3 d). Stale source: openrouter, no successful fetch for 4.0 d (since 2026-08-22; "
                         "limit 3 d)."), line
    record = json.loads(versus("compare", *pair, "--db", str(db), "--format", "json").stdout)
    assert set(record["stale_sources"]) == {"litellm", "openrouter"}
    page = model_page()  # rebuilt incrementally: the page's key covers the stale sources
    assert "Stale source: litellm, no successful fetch for 4.0 d" in page and "Stale source: openrouter" in page
