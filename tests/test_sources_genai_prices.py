"""genai-prices: per-provider model prices, with price history, time-of-day and tiered prices."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from pipeline.observation import SourceError
from pipeline.sources.genai_prices import extract
from tests.test_sources_common import URLS, document, facts, fixture, rejected, snapshot_document

URL = URLS["genai_prices"][0]
AS_OF = "2026-08-21T15:02:24-05:00"  # the recorded feed's as-of


def run(payload, as_of=AS_OF):
    return extract(document("genai_prices", URL, payload, as_of=as_of))


def priced(result, model_id, provider_id):
    """field -> (value, note) for one offering's prices."""
    return {o.field: (o.value, o.note) for o in result.observations
            if (o.model_id, o.provider_id) == (model_id, provider_id) and o.field.endswith("_usd_per_mtok")
            and o.price is None}


@pytest.fixture(scope="module")
def result():
    return run(fixture("genai_prices.json"))


def test_a_flat_price_set_is_read_as_stated(result):
    assert priced(result, "mistral-small-2603", "mistral") == {
        "input_usd_per_mtok": (Decimal("0.15"), None),
        "cache_read_usd_per_mtok": (Decimal("0.015"), None),
        "output_usd_per_mtok": (Decimal("0.6"), None),
    }
    assert priced(result, "mistralai/mistral-small-2603", "openrouter")["input_usd_per_mtok"] == (Decimal("0.15"), None)
    got = facts(result)
    assert got[("mistral-small-2603", "mistral", "name")] == "Mistral Small 4"
    assert got[("claude-opus-4-6", "anthropic", "context_window")] == 200000


def test_the_price_set_in_force_on_the_as_of_date_is_used_and_noted(result):
    # base prices were tiered; since 2026-03-13 one flat price applies
    assert priced(result, "claude-opus-4-6", "anthropic")["input_usd_per_mtok"] == (
        Decimal(5), "price history: in force since 2026-03-13")
    assert priced(result, "claude-opus-4-6", "anthropic")["cache_write_usd_per_mtok"][0] == Decimal("6.25")


def test_a_price_change_still_to_come_is_not_yet_in_force(result):
    assert priced(result, "claude-sonnet-5", "anthropic")["input_usd_per_mtok"] == (
        Decimal(2), "price history: base price; changes on 2026-09-01")
    later = run(fixture("genai_prices.json"), as_of="2026-09-02")
    assert priced(later, "claude-sonnet-5", "anthropic")["input_usd_per_mtok"] == (
        Decimal(3), "price history: in force since 2026-09-01")


def test_a_tiered_price_is_read_as_its_base_tier(result):
    assert priced(result, "claude-sonnet-4-5", "anthropic")["output_usd_per_mtok"] == (Decimal(15), "tiered: base tier")


def test_time_of_day_prices_are_not_read_and_the_base_is_noted(result):
    value, note = priced(result, "deepseek-chat", "deepseek")["input_usd_per_mtok"]
    assert value == Decimal("0.135")
    assert note == "time-of-day pricing: base price, not the one for 00:30:00Z-16:30:00Z"


def test_an_empty_price_set_states_no_price(result):
    assert priced(result, "mistral-small-24b-instruct-2501:free", "mistral") == {}
    assert facts(result)[("mistral-small-24b-instruct-2501:free", "mistral", "name")] == "Mistral Small 3 (free)"
    assert result.rejections == []


def test_as_of_that_is_not_a_date_falls_back_to_the_fetch_date():
    later = run(fixture("genai_prices.json"), as_of="main")  # fetched 2026-08-22
    assert priced(later, "claude-sonnet-5", "anthropic")["input_usd_per_mtok"][0] == Decimal(2)


def test_prices_checked_is_read_when_stated():
    payload = fixture("genai_prices.json")
    payload[2]["models"][0]["prices_checked"] = "2026-07-01"
    assert facts(run(payload))[(payload[2]["models"][0]["id"], payload[2]["id"], "prices_checked")] == date(2026, 7, 1)


@pytest.mark.parametrize("prices, field, reason", [
    ([{"constraint": {"start_date": "2027-01-01"}, "prices": {"input_mtok": 1}}], None, "no price in force on 2026-08-21"),
    ([{"constraint": {"start_date": "soon"}, "prices": {"input_mtok": 1}}], None, "not a date: 'soon'"),
    ({"input_mtok": {"tiers": [{"start": 200000, "price": 6}]}}, "input_usd_per_mtok", "not a number"),
    ({"input_mtok": -3}, "input_usd_per_mtok", "below the plausible minimum"),
    ({"output_mtok": 1200}, "output_usd_per_mtok", "above the plausible maximum"),
])
def test_a_bad_price_is_a_rejection_not_a_failure(prices, field, reason):
    payload = fixture("genai_prices.json")
    model = payload[2]["models"][0]
    model["prices"] = prices
    result = run(payload)
    assert reason in rejected(result)[(model["id"], payload[2]["id"], field)]
    assert priced(result, "mistral-small-2603", "mistral")["input_usd_per_mtok"][0] == Decimal("0.15")


@pytest.mark.parametrize("mutate, message", [
    (lambda p: {"providers": p}, "expected array at $"),
    (lambda p: [{k: v for k, v in p[0].items() if k != "models"}], "missing $[0].models"),
    (lambda p: [p[0], {**p[1], "models": {}}], "expected array at $[1].models"),
    (lambda p: [{**p[0], "models": [{"id": "x"}]}], "missing $[0].models[0].prices"),
    (lambda p: [{**p[0], "models": [{"id": "x", "prices": "1.5"}]}], "expected object or array at $[0].models[0].prices"),
    (lambda p: [{**p[0], "models": [{"id": "x", "prices": [{"prices": [1.5]}]}]}],
     "expected object at $[0].models[0].prices[0].prices"),
])
def test_a_feed_of_the_wrong_shape_is_a_source_error_naming_the_path(mutate, message):
    with pytest.raises(SourceError) as caught:
        run(mutate(fixture("genai_prices.json")))
    assert caught.value.reason.startswith(message) and caught.value.url == URL


def test_every_priced_model_of_the_recorded_feed_is_extracted(shared_snapshots):
    doc = snapshot_document(shared_snapshots, "2026-08", URL)
    feed = json.loads(doc.body)
    result = extract(doc)
    assert len(feed) == 36
    assert {o.provider_id for o in result.observations} == {p["id"] for p in feed if p["models"]}
    expected = {(m["id"], p["id"]) for p in feed for m in p["models"]
                if isinstance(m["prices"], list) or "input_mtok" in m["prices"]}
    got = {(o.model_id, o.provider_id) for o in result.observations if o.field == "input_usd_per_mtok"}
    assert got | {(r.model_id, r.provider_id) for r in result.rejections} == expected
