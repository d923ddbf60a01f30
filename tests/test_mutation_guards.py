"""Cases for protections a deliberate one-point bug once left green (issue 21, "Tests that fail
when the protection is removed"). Each test names the mutation it catches.

Warehouse cases replay copies of `snapshots/demo` with edited payloads and dates (tests/demo_copy.py)
through the real extraction, loader and reconciliation, one copy per night.
"""
from __future__ import annotations

import asyncio
import email.utils
import itertools
import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import duckdb
import pytest

from tests.demo_copy import LITELLM_FILE, OPENROUTER_FILE, demo_copy, openrouter_entry, run
from warehouse.db import apply_schema

UTC = timezone.utc


def _night(day: str) -> tuple[str, datetime]:
    """A document as-of (midnight UTC of `day`) and a fetch time later that day."""
    return f"{day}T00:00:00+00:00", datetime.fromisoformat(f"{day}T06:00:00+00:00")


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    return con


# --- retirement: the day itself, and the earliest of two stated dates (sql/reconcile/int_offerings.sql)

def _retirements(litellm: dict) -> dict:
    litellm["azure/gpt-4o-mini"]["deprecation_date"] = "2026-08-22"       # the data's date itself
    litellm["azure/o3-2025-04-16"]["deprecation_date"] = "2026-08-23"     # the day after
    # two keys of one route (OpenAI's GPT-4o mini), stating two retirement dates
    litellm["gpt-4o-mini"]["deprecation_date"] = "2026-09-30"
    litellm["openai/gpt-4o-mini"] = {**litellm["gpt-4o-mini"], "deprecation_date": "2026-09-01"}
    return litellm


@pytest.fixture(scope="module")
def retiring(tmp_path_factory):
    as_of, at = _night("2026-08-22")
    folder = demo_copy(tmp_path_factory.mktemp("retiring") / "snap", {"litellm"}, {LITELLM_FILE: _retirements},
                       as_of=as_of)
    con = _warehouse()
    run(con, folder, at, 1, {"litellm"})
    yield con
    con.close()


def test_a_route_retires_on_its_stated_date_itself(retiring):
    """Catches `retired_on <= today` -> `retired_on < today` in _route_status."""
    rows = dict(((route, (status, active, retired_on)) for route, status, active, retired_on in retiring.execute(
        "SELECT route, status, active, retired_on FROM offerings WHERE source = 'litellm' "
        "AND route IN ('azure/gpt-4o-mini', 'azure/o3-2025-04-16')").fetchall()))
    assert rows == {"azure/gpt-4o-mini": ("retired", False, date(2026, 8, 22)),
                    "azure/o3-2025-04-16": ("deprecating", True, date(2026, 8, 23))}


def test_a_route_stated_retiring_on_two_dates_takes_the_earliest_on_every_row(retiring):
    """Catches min(value_date) -> max(value_date) in _retirement."""
    rows = retiring.execute("SELECT route, retired_on, status FROM offerings WHERE model_id = 'openai/gpt-4o-mini' "
                            "AND provider_id = 'openai' ORDER BY route").fetchall()
    assert rows == [("gpt-4o-mini", date(2026, 9, 1), "deprecating"),
                    ("openai/gpt-4o-mini", date(2026, 9, 1), "deprecating")]


# --- price history (the price_history view of offering_prices: sql/schema_views.sql) ------------

def _prices(changes: dict[str, dict[str, str | None]]):
    """An edit of the OpenRouter payload setting (or, for None, removing) pricing keys per model."""
    def edit(payload: dict) -> dict:
        for model_id, pricing in changes.items():
            entry = openrouter_entry(payload, model_id)
            for key, value in pricing.items():
                if value is None:
                    entry["pricing"].pop(key, None)
                else:
                    entry["pricing"][key] = value
        return payload
    return edit


NIGHTS = [  # Claude Haiku 4.5 loses its output price; GPT-4o's input price changes twice
    ("2026-08-01", {}),
    ("2026-08-10", {"anthropic/claude-haiku-4.5": {"completion": None}, "openai/gpt-4o": {"prompt": "0.000003"}}),
    ("2026-08-20", {"anthropic/claude-haiku-4.5": {"completion": None}, "openai/gpt-4o": {"prompt": "0.0000035"}}),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    con = _warehouse()
    for run_id, (day, changes) in enumerate(NIGHTS, 1):
        as_of, at = _night(day)
        run(con, demo_copy(root / day, {"openrouter"}, {OPENROUTER_FILE: _prices(changes)}, as_of=as_of),
            at, run_id, {"openrouter"})
    yield con
    con.close()


def _history(con, route: str) -> list[tuple]:
    return [(i, o, f.astimezone(UTC).date(), t and t.astimezone(UTC).date()) for i, o, f, t in con.execute(
        "SELECT input_usd_per_mtok, output_usd_per_mtok, valid_from, valid_to FROM price_history "
        "WHERE source = 'openrouter' AND route = ? ORDER BY valid_from", [route]).fetchall()]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_price_that_becomes_unknown_closes_its_history_row(history):
    """Catches `IS DISTINCT FROM` -> `<>` in _closing (NULL <> 5 is NULL: the row stayed open)."""
    assert _history(history, "anthropic/claude-haiku-4.5") == [
        (D(1), D(5), date(2026, 8, 1), date(2026, 8, 10)),
        (D(1), None, date(2026, 8, 10), None)]


def test_a_price_that_changes_twice_leaves_the_first_rows_end_at_the_first_change(history):
    """Catches dropping `h.valid_to IS NULL` from the closing UPDATE (every row of the route moved)."""
    assert _history(history, "openai/gpt-4o") == [
        (D("2.5"), D(10), date(2026, 8, 1), date(2026, 8, 10)),
        (D(3), D(10), date(2026, 8, 10), date(2026, 8, 20)),
        (D("3.5"), D(10), date(2026, 8, 20), None)]


# --- LMArena names (pipeline/leaderboard_names.py) ---------------------------------------------

def test_lmarena_forms_takes_off_two_setting_suffixes():
    """Catches taking off one suffix instead of two (`range(2)` -> `range(1)`)."""
    from pipeline.leaderboard_names import lmarena_forms

    assert lmarena_forms("gpt-5-high-thinking-32k") == [
        ("gpt-5-high-thinking-32k", None), ("gpt-5-high", "thinking-32k"), ("gpt-5", "high-thinking-32k")]


# --- the benchmark-lead rule, SQL twin against the record's check -----------------------------

def _lmarena_rows() -> list[tuple[str, D, D, D]]:
    """(model, rating, 95% low, 95% high) of the demo LMArena leaderboard's 'full' category."""
    from tests.conftest import DEMO_SNAPSHOT

    board = json.loads((DEMO_SNAPSHOT / "lmarena" / "leaderboard-text.json").read_text())
    return [(name, D(str(r["rating"])), D(str(r["rating_q025"])), D(str(r["rating_q975"])))
            for name, r in sorted(board["full"].items())]


def test_the_benchmark_lead_macro_decides_every_pair_as_the_record_does(con):
    """Catches the macro comparing A's score (not its lower bound) with B's upper bound: the demo
    leaderboard holds pairs whose ratings lie outside each other's interval while the intervals
    overlap (no significant difference)."""
    from records.build import _lead
    from records.schema import BenchmarkScore

    rows = _lmarena_rows()

    def score(r, higher: bool) -> BenchmarkScore:
        return BenchmarkScore(benchmark_id="lmarena-text", benchmark="LMArena text", metric="rating", unit="elo",
                              higher_is_better=higher, significance="interval", score=r[1], ci_low=r[2], ci_high=r[3],
                              source="lmarena")

    cases = [(a, b, higher) for a, b in itertools.permutations(rows, 2) for higher in (True, False)]
    overlapping = [(a, b) for a, b, _ in cases if a[1] > b[3] and a[2] <= b[3]]
    assert overlapping, "the demo leaderboard has a pair the mutation would misjudge"
    sql = con.execute("SELECT benchmark_lead(a_score, a_low, a_high, b_score, b_low, b_high, higher, 'interval') "
                      "FROM (SELECT unnest(?, recursive := true))",
                      [[{"a_score": a[1], "a_low": a[2], "a_high": a[3], "b_score": b[1], "b_low": b[2],
                         "b_high": b[3], "higher": h} for a, b, h in cases]]).fetchall()
    python = [_lead(score(a, h), score(b, h))[1] for a, b, h in cases]
    assert [r[0] for r in sql] == python


# --- the site's swap (warehouse/site/builder.py) -------------------------------------------------

READER = """
import os, sys, time
index, stop = sys.argv[1], sys.argv[2]
seen = missing = 0
print("ready", flush=True)
while not os.path.exists(stop):
    seen += 1
    if not os.path.exists(index):
        missing += 1
print(seen, missing, flush=True)
"""


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_reader_polling_through_many_swaps_never_finds_the_site_missing(tmp_path):
    """Catches a swap that unlinks the published link and then links the new build: a reader in
    another process polls the site's index while the site is swapped between two builds."""
    from warehouse.site.builder import _swap

    builds = []
    for name in ("one", "two"):
        build = tmp_path / ".site.builds" / name
        build.mkdir(parents=True)
        (build / "index.html").write_text(name)
        builds.append(build)
    out, stop = tmp_path / "site", tmp_path / "stop"
    _swap(out, builds[0])
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out / "index.html"), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    for i in range(3000):
        _swap(out, builds[i % 2])
    stop.touch()
    seen, missing = map(int, reader.stdout.readline().split())
    reader.wait(timeout=30)
    assert seen > 1000 and missing == 0, (seen, missing)
    assert (out / "index.html").read_text() == "two"


# --- Retry-After as an HTTP date (scrapers/live.py) --------------------------------------------

def test_a_retry_after_http_date_waits_until_that_date():
    """Catches an HTTP-date Retry-After read as 0 s."""
    from scrapers.live import _seconds

    ahead = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 < _seconds(ahead) <= 30
    past = email.utils.format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)
    assert _seconds(past) == 0 and _seconds("7") == 7


@pytest.mark.slow  # over 0.8 s (--durations)
def test_the_retry_after_middleware_waits_an_http_dates_time_capped(tmp_path):
    """The same through RetryAfterMiddleware, as a crawl calls it: a 429 whose Retry-After is a date
    60 s ahead waits the cap (1 s) and records it."""
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from scrapers.live import RetryAfterMiddleware

    crawler = get_crawler(settings_dict={"VERSUS_RETRY_AFTER_MAX": 1})
    crawler.stats.open_spider()
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    ahead = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    request = Request("https://openrouter.ai/api/v1/models")
    started = time.monotonic()
    response = asyncio.run(middleware.process_response(
        request, Response(request.url, status=429, headers={"Retry-After": ahead}, request=request)))
    assert response.status == 429 and time.monotonic() - started >= 0.95
    assert crawler.stats.get_value("retry_after/seconds") == 1
