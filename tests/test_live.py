"""The live path under faults: real crawls through Scrapy's downloader and middlewares (no replay)
against a local HTTP server serving the demo snapshot, with conditional re-fetches and faults."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.steps import crawl_source, load_crawl
from tests.conftest import DEMO_SNAPSHOT
from tests.live_server import SnapshotServer
from warehouse.db import connect
from warehouse.runs import finish_run, record_source, start_run

LITELLM = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
GENAI = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
SOURCES = ["litellm", "genai_prices"]


@pytest.fixture(scope="module")
def server():
    with SnapshotServer(DEMO_SNAPSHOT, stall_seconds=4) as srv:
        yield srv


@pytest.fixture(scope="module")
def first(server, tmp_path_factory):
    """The first live crawl: every document downloaded (200), stored with its validators in the cache."""
    tmp = tmp_path_factory.mktemp("live")
    server.reset()
    loads = live_run(tmp / "w.duckdb", server, tmp / "httpcache", tmp / "spool")
    assert {s: l.status for s, l in loads.items()} == {"litellm": "ok", "genai_prices": "ok"}
    assert [r["status"] for r in server.requests_for(LITELLM)] == [200]
    return tmp


@pytest.fixture
def warehouse(first, server, tmp_path):
    """A copy of the first crawl's warehouse and HTTP cache, for one test to refresh."""
    shutil.copy(first / "w.duckdb", tmp_path / "w.duckdb")
    shutil.copytree(first / "httpcache", tmp_path / "httpcache")
    server.reset()
    return tmp_path


def live_run(db: Path, server: SnapshotServer, cache: Path | None, spool: Path, sources=SOURCES, **settings) -> dict:
    """One run over the live path: each source crawled in a child process from the local server."""
    overrides = {"VERSUS_URL_MAP": server.url_map, "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0",
                 "RETRY_TIMES": "2", "VERSUS_RETRY_AFTER_MAX": "5", **settings}
    con = connect(db)
    run_id = start_run(con, None)
    loads = {}
    for source in sources:
        crawl = crawl_source(source, spool / str(run_id), http_cache=cache, settings=overrides)
        loads[source] = load_crawl(con, run_id, crawl, spool / str(run_id))
        loads[source].stats = json.loads((spool / str(run_id) / source / "crawl.json").read_text())
        record_source(con, run_id, loads[source])
    finish_run(con, run_id)
    con.close()
    return loads


def state(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {"current": con.execute("SELECT * EXCLUDE (fetched_at) FROM current_observations ORDER BY ALL").fetchall(),
                "documents": con.execute("SELECT source, url, sha256, run_id FROM raw_documents ORDER BY ALL").fetchall(),
                "observations": con.execute("SELECT count(*) FROM observations").fetchone()[0]}


def run_status(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT source, status || coalesce(': ' || error, '') FROM run_sources "
                                "WHERE run_id = (SELECT max(run_id) FROM runs)").fetchall())


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_second_crawl_of_unchanged_documents_is_answered_by_304s_and_changes_nothing(warehouse, server):
    before = state(warehouse / "w.duckdb")
    loads = live_run(warehouse / "w.duckdb", server, warehouse / "httpcache", warehouse / "spool")
    for url in (LITELLM, GENAI):
        (request,) = server.requests_for(url)
        assert request["status"] == 304, request
        assert request["if_none_match"] and request["if_modified_since"] == "Sat, 01 Aug 2026 00:00:00 GMT"
    assert {s: (l.status, l.documents, l.unchanged) for s, l in loads.items()} == {
        "litellm": ("ok", 1, 1), "genai_prices": ("ok", 1, 1)}
    assert loads["litellm"].stats["httpcache/revalidate"] == 1
    assert state(warehouse / "w.duckdb") == before, "same current observations, no new document or row"
    with duckdb.connect(str(warehouse / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT last_run_id FROM raw_documents").fetchall() == [(2,)], \
            "the stored documents' last fetch moved to the second run"


@pytest.mark.slow  # over 0.8 s (--durations)
def test_without_the_cache_every_document_is_downloaded_again(warehouse, server):
    live_run(warehouse / "w.duckdb", server, None, warehouse / "spool")
    assert [r["status"] for r in server.requests_for(LITELLM)] == [200]
    assert server.requests_for(LITELLM)[0]["if_none_match"] is None


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_copy_still_fresh_by_cache_control_needs_no_request(server, tmp_path):
    server.reset()
    server.cache_control = "max-age=3600"
    live_run(tmp_path / "w.duckdb", server, tmp_path / "httpcache", tmp_path / "spool", sources=["litellm"])
    before = state(tmp_path / "w.duckdb")
    loads = live_run(tmp_path / "w.duckdb", server, tmp_path / "httpcache", tmp_path / "spool", sources=["litellm"])
    assert len(server.requests_for(LITELLM)) == 1, "the second crawl sent no request for the fresh copy"
    assert loads["litellm"].status == "ok" and loads["litellm"].unchanged == 1
    assert loads["litellm"].stats["httpcache/hit"] == 1
    assert state(tmp_path / "w.duckdb") == before


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_500_then_a_200_is_retried_and_the_source_is_ok(warehouse, server):
    server.faults[LITELLM] = ["500"]
    loads = live_run(warehouse / "w.duckdb", server, warehouse / "httpcache", warehouse / "spool")
    assert [r["status"] for r in server.requests_for(LITELLM)] == [500, 304]
    assert loads["litellm"].status == "ok" and loads["litellm"].stats["retry/count"] == 1


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_429_is_retried_after_the_wait_it_asks_for(warehouse, server):
    server.faults[LITELLM] = ["429"]
    loads = live_run(warehouse / "w.duckdb", server, warehouse / "httpcache", warehouse / "spool")
    assert [r["status"] for r in server.requests_for(LITELLM)] == [429, 304]
    assert loads["litellm"].status == "ok"
    assert loads["litellm"].stats["retry_after/seconds"] == 1 and loads["litellm"].stats["retry/count"] == 1


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("fault, reason", [
    ("500", "HTTP 500"),
    ("truncate", "ResponseDataLoss"),
    ("stall", "Timeout"),
    ("login", "HTML"),
])
def test_a_fault_that_outlasts_the_retries_fails_that_source_alone_and_loses_nothing(warehouse, server, fault, reason):
    """Even with a cached copy at hand: a server error or a broken download is never passed off as
    the stored document (Scrapy's stock policy would answer a 500 from the cache)."""
    before = state(warehouse / "w.duckdb")
    server.faults[LITELLM] = [fault] * 5
    loads = live_run(warehouse / "w.duckdb", server, warehouse / "httpcache", warehouse / "spool",
                     DOWNLOAD_TIMEOUT="1")
    outcome = run_status(warehouse / "w.duckdb")
    assert outcome["genai_prices"] == "ok"
    assert outcome["litellm"].startswith(f"failed: {LITELLM}: ") and reason in outcome["litellm"], outcome["litellm"]
    assert loads["litellm"].errors and all(LITELLM in e for e in loads["litellm"].errors)
    after = state(warehouse / "w.duckdb")
    assert after["current"] == before["current"], "the last good litellm document stays current"
    if fault == "login":  # not retried: a redirect is an answer; the page lands as an unusable document
        assert "(redirected to https://login.example.com/login)" in outcome["litellm"]
        assert len(server.requests_for(LITELLM)) == 1
    else:
        assert after == before
        assert len(server.requests_for(LITELLM)) == 3, "the first try and two retries"
