"""Revalidation as the server asks: two live crawls of LiteLLM's price file through Scrapy's HTTP
cache against the local server (tests/live_server.py), counting the requests the server saw."""
from __future__ import annotations

import duckdb
import pytest

from tests.conftest import DEMO_SNAPSHOT
from tests.live_server import LAST_MODIFIED, SnapshotServer
from tests.test_live import LITELLM, live_run, state


@pytest.fixture(scope="module")
def server():
    with SnapshotServer(DEMO_SNAPSHOT) as srv:
        yield srv


def two_crawls(server, tmp_path, cache_control: str, etag: bool = True, last_modified: bool = True):
    """Crawl LiteLLM twice with the server answering `cache_control`; returns the second run's load,
    the server's log for the file, and the warehouse state after each crawl."""
    server.reset()
    server.cache_control, server.etag, server.last_modified = cache_control, etag, last_modified
    db, cache = tmp_path / "w.duckdb", tmp_path / "httpcache"
    live_run(db, server, cache, tmp_path / "spool", sources=["litellm"])
    before = state(db)
    loads = live_run(db, server, cache, tmp_path / "spool", sources=["litellm"])
    return loads["litellm"], server.requests_for(LITELLM), before, state(db)


def ledger(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT run_id, source, status, documents FROM run_sources ORDER BY run_id").fetchall()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_no_cache_with_an_etag_is_revalidated_and_answered_by_a_304(server, tmp_path):
    load, seen, before, after = two_crawls(server, tmp_path, "no-cache", last_modified=False)
    assert [r["status"] for r in seen] == [200, 304], "the second crawl asked before reusing its copy"
    assert seen[0]["if_none_match"] is None and seen[1]["if_none_match"] == f'"{before["documents"][0][2]}"'
    assert seen[1]["bytes"] == 0
    assert (load.status, load.documents, load.unchanged) == ("ok", 1, 1)
    assert load.stats["httpcache/revalidate"] == 1
    assert after["current"] == before["current"] and after["observations"] == before["observations"]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_max_age_0_with_last_modified_is_revalidated_by_date(server, tmp_path):
    load, seen, before, after = two_crawls(server, tmp_path, "max-age=0", etag=False)
    assert [r["status"] for r in seen] == [200, 304]
    assert seen[1]["if_modified_since"] == LAST_MODIFIED and seen[1]["if_none_match"] is None
    assert (load.status, load.unchanged) == ("ok", 1)
    assert after == before


@pytest.mark.slow  # over 0.8 s (--durations)
def test_no_store_is_never_stored_so_every_crawl_downloads(server, tmp_path):
    load, seen, before, after = two_crawls(server, tmp_path, "no-store")
    assert [(r["status"], r["if_none_match"], r["if_modified_since"]) for r in seen] == [(200, None, None)] * 2
    assert seen[1]["bytes"] == seen[0]["bytes"] > 0
    assert load.stats.get("httpcache/store", 0) == 0
    assert not [p for p in (tmp_path / "httpcache").rglob("response_body")], "nothing written to the cache"
    assert (load.status, load.unchanged) == ("ok", 1), "the same body: nothing re-extracted"
    assert after["current"] == before["current"]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_fresh_copy_sends_no_request_and_still_counts_in_the_ledger(server, tmp_path):
    load, seen, before, after = two_crawls(server, tmp_path, "max-age=600")
    assert [r["status"] for r in seen] == [200], "no request at all on the second crawl"
    assert load.stats["httpcache/hit"] == 1
    assert ledger(tmp_path / "w.duckdb") == [(1, "litellm", "ok", 1), (2, "litellm", "ok", 1)]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT last_run_id FROM raw_documents").fetchall() == [(2,)], \
            "the copy served from the cache moved the document's last fetch to the second run"
    assert after == before
