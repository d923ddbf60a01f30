"""OpenRouter: the model list, and a model's endpoints (one offering per serving provider)."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from pipeline.observation import SourceError
from pipeline.sources.openrouter import API, extract
from tests.test_sources_common import document, facts, fixture, rejected, snapshot_document

ENDPOINTS = f"{API}/mistralai/mistral-small-2603/endpoints"


def run(payload, url=API):
    return extract(document("openrouter", url, payload))


@pytest.fixture(scope="module")
def models():
    result = run(fixture("openrouter_models.json"))
    return facts(result), rejected(result)


def test_a_model_carries_exact_per_million_prices(models):
    got, _ = models
    key = ("mistralai/mistral-small-2603", "openrouter")
    assert got[(*key, "input_usd_per_mtok")] == Decimal("0.15")
    assert got[(*key, "output_usd_per_mtok")] == Decimal("0.6")
    assert got[(*key, "cache_read_usd_per_mtok")] == Decimal("0.015")
    assert (*key, "cache_write_usd_per_mtok") not in got
    assert got[("anthropic/claude-3-haiku", "openrouter", "cache_write_usd_per_mtok")] == Decimal("0.3")
    assert got[("mistralai/mistral-large-2407", "openrouter", "input_usd_per_mtok")] == 2


def test_a_model_carries_its_specs(models):
    got, _ = models
    key = ("mistralai/mistral-small-2603", "openrouter")
    assert got[(*key, "name")] == "Mistral Small 4"
    # `created` (1773619200) is when OpenRouter listed the model: a listing date, never a release date
    assert got[(*key, "listed_at")] == date(2026, 3, 16)
    assert (*key, "release_date") not in got
    assert got[(*key, "knowledge_cutoff")] == "2025-06"
    assert got[(*key, "context_window")] == 262144
    assert got[(*key, "max_output_tokens")] == 262144
    assert got[(*key, "hugging_face_id")] == "mistralai/Mistral-Small-4-119B-2603"
    assert got[(*key, "input_modalities")] == ("image", "text")
    assert got[(*key, "supports_vision")] is True


def test_capabilities_come_from_the_supported_parameters(models):
    got, _ = models
    small = ("mistralai/mistral-small-2603", "openrouter")
    for field in ("supports_function_calling", "supports_tool_use", "supports_structured_outputs", "supports_reasoning"):
        assert got[(*small, field)] is True
    qwen = ("qwen/qwen2.5-vl-72b-instruct", "openrouter")  # no tools, no reasoning in its list
    assert got[(*qwen, "supports_function_calling")] is False
    assert got[(*qwen, "supports_tool_use")] is False
    assert got[(*qwen, "supports_reasoning")] is False
    assert got[(*qwen, "supports_structured_outputs")] is True
    assert (*qwen, "hugging_face_id") not in got  # null in the payload


def test_a_free_variant_keeps_its_suffix_and_a_zero_price(models):
    got, rejections = models
    assert got[("openai/gpt-oss-20b:free", "openrouter", "input_usd_per_mtok")] == 0
    assert got[("openai/gpt-oss-20b:free", "openrouter", "output_usd_per_mtok")] == 0
    assert rejections == {}


def test_without_supported_parameters_capabilities_are_unknown():
    payload = fixture("openrouter_models.json")
    for model in payload["data"]:
        del model["supported_parameters"]
    got = facts(run(payload))
    assert not any(field.startswith("supports_") and field != "supports_vision" for (_, _, field) in got)


@pytest.mark.parametrize("price, reason", [("-1", "negative price '-1': variable or unknown"),
                                           ("free", "not a number"),
                                           ("0.002", "above the plausible maximum"),
                                           ("NaN", "not a finite number"),
                                           ("sNaN", "not a finite number"),
                                           (True, "expected a number")])
def test_a_bad_price_is_a_rejection_with_its_reason(price, reason):
    payload = fixture("openrouter_models.json")
    model = next(m for m in payload["data"] if m["id"] == "mistralai/mistral-small-2603")
    model["pricing"]["prompt"] = price
    result = run(payload)
    key = ("mistralai/mistral-small-2603", "openrouter", "input_usd_per_mtok")
    assert reason in rejected(result)[key]
    assert key not in facts(result)
    assert facts(result)[("mistralai/mistral-small-2603", "openrouter", "output_usd_per_mtok")] == Decimal("0.6")


@pytest.mark.parametrize("mutate, message", [
    (lambda p: {"models": p["data"]}, "missing $.data"),
    (lambda p: p["data"], "expected object at $"),
    (lambda p: {"data": [*p["data"][:3], {**p["data"][3], "pricing": ["0.1"]}]}, "expected object at $.data[3].pricing"),
    (lambda p: {"data": [{**p["data"][0], "id": 42}]}, "expected string at $.data[0].id"),
])
def test_a_model_list_of_the_wrong_shape_is_a_source_error_naming_the_path(mutate, message):
    with pytest.raises(SourceError) as caught:
        run(mutate(fixture("openrouter_models.json")))
    assert caught.value.reason.startswith(message) and caught.value.url == API


def test_each_endpoint_is_an_offering_of_its_provider():
    result = run(fixture("openrouter_endpoints_mistral-small-2603.json"), ENDPOINTS)
    key = ("mistralai/mistral-small-2603", "openrouter/mistral")
    assert facts(result) == {
        (*key, "input_usd_per_mtok"): Decimal("0.15"),
        (*key, "output_usd_per_mtok"): Decimal("0.6"),
        (*key, "cache_read_usd_per_mtok"): Decimal("0.015"),
        (*key, "context_window"): 262144,
        (*key, "max_output_tokens"): 262144,
    }
    assert result.rejections == []


def test_an_endpoint_without_a_tag_is_named_by_its_provider():
    payload = fixture("openrouter_endpoints_mistral-small-2603.json")
    payload["data"]["endpoints"][0].update(tag=None, provider_name="Google AI Studio", max_prompt_tokens=131072)
    got = facts(run(payload, ENDPOINTS))
    assert got[("mistralai/mistral-small-2603", "openrouter/google-ai-studio", "max_input_tokens")] == 131072


@pytest.mark.parametrize("mutate, message", [
    (lambda p: {"data": {k: v for k, v in p["data"].items() if k != "endpoints"}}, "missing $.data.endpoints"),
    (lambda p: {"data": [p["data"]]}, "expected object at $.data"),
    (lambda p: {"data": {**p["data"], "endpoints": [{"pricing": {}}]}}, "missing $.data.endpoints[0].provider_name"),
])
def test_an_endpoints_document_of_the_wrong_shape_is_a_source_error(mutate, message):
    with pytest.raises(SourceError) as caught:
        run(mutate(fixture("openrouter_endpoints_mistral-small-2603.json")), ENDPOINTS)
    assert caught.value.reason.startswith(message)


def test_an_unknown_openrouter_url_is_a_source_error():
    with pytest.raises(SourceError, match="not an OpenRouter document"):
        run({"data": []}, "https://openrouter.ai/api/v1/providers")


@pytest.mark.parametrize("label, count", [("2026-08", 337), ("2026-01", 139)])
def test_every_model_of_a_recorded_snapshot_is_extracted(shared_snapshots, label, count):
    doc = snapshot_document(shared_snapshots, label, API)
    models = json.loads(doc.body)["data"]
    result = extract(doc)
    assert len(models) == count
    assert {o.model_id for o in result.observations} == {m["id"] for m in models}
    for field, key in (("input_usd_per_mtok", "prompt"), ("cache_read_usd_per_mtok", "input_cache_read")):
        priced = {m["id"] for m in models if key in m["pricing"]}
        stated = {o.model_id for o in result.observations if o.field == field}
        assert stated | {r.model_id for r in result.rejections if r.field == field} == priced
