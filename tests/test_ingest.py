"""Crawls through the real Scrapy engine into a real DuckDB file, including what bad input gets."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.steps import crawl_source, load_crawl
from scrapers.snapshot import Snapshot, write_manifest
from tests.conftest import DEMO_SNAPSHOT
from warehouse.db import connect
from warehouse.runs import finish_run, record_source, start_run

LITELLM = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
OPENROUTER = "https://openrouter.ai/api/v1/models"
GENAI = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
AGGREGATORS = ["modelsdev", "openrouter", "litellm", "genai_prices", "lmarena", "aider"]


def ingest(db: Path, snapshot: Path, sources: list[str], spool: Path) -> dict:
    """One run: crawl each source in a child process and load it; returns the loads by source."""
    con = connect(db)
    run_id = start_run(con, str(snapshot))
    loads = {}
    for source in sources:
        load = load_crawl(con, run_id, crawl_source(source, spool / str(run_id), snapshot), spool / str(run_id))
        record_source(con, run_id, load)
        loads[source] = load
    finish_run(con, run_id)
    con.close()
    return loads


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("raw_documents", "observations", "rejected_observations")}


def variant(tmp_path: Path, changes: dict[str, bytes | int]) -> Path:
    """A copy of the demo snapshot where some URLs answer a different body (bytes) or HTTP status (int)."""
    root = tmp_path / "snapshot"
    shutil.copytree(DEMO_SNAPSHOT, root)
    snap = Snapshot(root)
    for url, change in changes.items():
        entry = snap.lookup(url)
        if isinstance(change, int):
            entry.status = change
        else:
            snap.path(entry).chmod(0o644)
            snap.path(entry).write_bytes(change)
    write_manifest(root, "variant", list(snap.entries.values()))
    return root


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "w.duckdb"
    ingest(db, DEMO_SNAPSHOT, AGGREGATORS, tmp / "spool")
    return db


def test_demo_crawl_lands_every_manifest_document(demo_db):
    manifest = json.loads((DEMO_SNAPSHOT / "manifest.json").read_text())
    expected = {e["url"] for e in manifest["sources"] if "huggingface" not in e["file"] and "pricing_pages" not in e["file"]}
    with duckdb.connect(str(demo_db), read_only=True) as con:
        landed = {r[0] for r in con.execute("SELECT url FROM raw_documents WHERE parsed").fetchall()}
        statuses = con.execute("SELECT source, status, error FROM run_sources ORDER BY source").fetchall()
        shas = dict(con.execute("SELECT url, sha256 FROM raw_documents").fetchall())
    assert expected <= landed
    assert all(status == "ok" for _, status, _ in statuses), statuses
    for entry in manifest["sources"]:
        if entry["url"] in shas:
            assert shas[entry["url"]] == entry["sha256"], "body must land verbatim"


def test_demo_observations_are_typed(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        price = con.execute(
            "SELECT value_decimal, unit FROM observations WHERE source = 'litellm' "
            "AND model_id = 'mistral/mistral-small-2603' AND field = 'input_usd_per_mtok'").fetchone()
        context = con.execute(
            "SELECT value_int FROM observations WHERE source = 'openrouter' "
            "AND model_id = 'mistralai/mistral-small-2603' AND field = 'context_window'").fetchone()
    assert str(price[0]).rstrip("0") == "0.15" and price[1] == "usd_per_mtok"
    assert context == (262144,)


@pytest.mark.slow  # more than 5 s
def test_loading_the_same_snapshot_twice_adds_no_rows(demo_db, tmp_path):
    before = counts(demo_db)
    ingest(demo_db, DEMO_SNAPSHOT, AGGREGATORS, tmp_path)
    assert counts(demo_db) == before


def test_http_500_outlasting_retries_fails_only_that_source(demo_db, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    before = counts(db)
    loads = ingest(db, variant(tmp_path, {LITELLM: 500}), ["litellm", "openrouter"], tmp_path / "spool")
    assert loads["litellm"].status == "failed"
    assert f"{LITELLM}: HTTP 500" in loads["litellm"].errors
    assert loads["openrouter"].status == "ok"
    with duckdb.connect(str(db), read_only=True) as con:
        error = con.execute("SELECT error FROM run_sources WHERE source = 'litellm' ORDER BY run_id DESC").fetchone()[0]
        kept = con.execute("SELECT count(*) FROM current_observations WHERE source = 'litellm'").fetchone()[0]
        retries = json.loads((tmp_path / "spool").glob("*/litellm/crawl.json").__next__().read_text())
    assert LITELLM in error and "HTTP 500" in error
    assert kept > 0, "earlier litellm observations stay current"
    assert counts(db) == before
    assert retries.get("retry/count", 0) >= 3


@pytest.mark.parametrize("url, body, reason", [
    (OPENROUTER, b'{"data": [{"id": "mistralai/mistral-sm', "invalid JSON"),
    (GENAI, b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "HTML"),
    (OPENROUTER, b'{"models": []}', "data"),
])
def test_unusable_payload_fails_its_source_and_keeps_earlier_data(demo_db, tmp_path, url, body, reason):
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    source = "openrouter" if url == OPENROUTER else "genai_prices"
    loads = ingest(db, variant(tmp_path, {url: body}), [source, "litellm"], tmp_path / "spool")
    assert loads[source].status == "failed" and loads["litellm"].status == "ok"
    assert reason in loads[source].errors[0] and url in loads[source].errors[0]
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT parsed, parse_error FROM raw_documents WHERE url = ? AND NOT parsed", [url]).fetchone()
        current = con.execute("SELECT count(*) FROM current_observations WHERE source = ?", [source]).fetchone()[0]
    assert stored[0] is False and reason in stored[1]
    assert current > 0, "the last good document stays current"


def test_bad_prices_are_rejected_with_reasons_not_dropped(demo_db, tmp_path):
    payload = json.loads((DEMO_SNAPSHOT / Snapshot(DEMO_SNAPSHOT).lookup(LITELLM).file).read_text())
    payload["mistral/mistral-small-2603"]["input_cost_per_token"] = "cheap"
    payload["mistral/mistral-small-2603"]["output_cost_per_token"] = -6e-07
    key = next(k for k in payload if k != "sample_spec" and k != "mistral/mistral-small-2603")
    payload[key]["input_cost_per_token"] = 0.5  # $500,000 per million tokens
    db = tmp_path / "w.duckdb"
    loads = ingest(db, variant(tmp_path, {LITELLM: json.dumps(payload).encode()}), ["litellm"], tmp_path / "spool")
    assert loads["litellm"].status == "ok" and loads["litellm"].rejected >= 3
    with duckdb.connect(str(db), read_only=True) as con:
        rejected = {(m, f): reason for m, f, reason in con.execute(
            "SELECT model_id, field, reason FROM rejected_observations").fetchall()}
        published = con.execute(
            "SELECT count(*) FROM observations WHERE model_id = 'mistral/mistral-small-2603' "
            "AND field IN ('input_usd_per_mtok', 'output_usd_per_mtok')").fetchone()[0]
    assert "not a number" in rejected[("mistral/mistral-small-2603", "input_usd_per_mtok")]
    assert "below the plausible minimum" in rejected[("mistral/mistral-small-2603", "output_usd_per_mtok")]
    assert "above the plausible maximum" in rejected[(key, "input_usd_per_mtok")]
    assert published == 0


def test_manifest_path_leaving_the_snapshot_is_refused(tmp_path):
    root = tmp_path / "evil"
    root.mkdir()
    (root / "manifest.json").write_text(json.dumps({"label": "x", "sources": [
        {"url": LITELLM, "file": "../../etc/passwd", "content_type": "application/json"}]}))
    with pytest.raises(Exception, match="leaves the snapshot folder"):
        Snapshot(root)
    outcome = crawl_source("litellm", tmp_path / "spool", root)
    assert outcome.returncode == 1 and "leaves the snapshot folder" in outcome.stderr_tail


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_crawl_can_be_recorded_as_a_snapshot_and_replayed(tmp_path):
    """Recording sees final responses, so recording a replay reproduces the snapshot's bodies."""
    import subprocess
    import sys

    recorded = tmp_path / "recorded"
    proc = subprocess.run([sys.executable, "-m", "scrapers.crawl", "litellm", "--spool", str(tmp_path / "spool"),
                           "--snapshot", str(DEMO_SNAPSHOT), "--record", str(recorded)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    original, copy = Snapshot(DEMO_SNAPSHOT).lookup(LITELLM), Snapshot(recorded).lookup(LITELLM)
    assert copy.sha256 == original.sha256 and copy.content_type == original.content_type
    outcome = crawl_source("litellm", tmp_path / "spool2", recorded)
    assert outcome.returncode == 0
    (line,) = (tmp_path / "spool2" / "litellm" / "documents.jsonl").read_text().splitlines()
    assert json.loads(line)["sha256"] == original.sha256
