"""models.dev: provider offerings from api.json, model facts from models.json."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from pipeline.observation import SourceError
from pipeline.sources.modelsdev import API, MODELS, extract
from tests.test_sources_common import document, facts, fixture, rejected, snapshot_document


def run(payload, url=API):
    return extract(document("modelsdev", url, payload))


@pytest.fixture(scope="module")
def offerings():
    result = run(fixture("modelsdev_api.json"))
    return facts(result), rejected(result)


def test_an_offering_carries_prices_limits_and_capabilities(offerings):
    got, _ = offerings
    key = ("mistral-small-2603", "mistral")
    assert got[(*key, "name")] == "Mistral Small 4"
    assert got[(*key, "family")] == "mistral-small"
    assert got[(*key, "release_date")] == date(2026, 3, 16)
    assert got[(*key, "knowledge_cutoff")] == "2025-06"
    assert got[(*key, "input_usd_per_mtok")] == Decimal("0.15")
    assert got[(*key, "output_usd_per_mtok")] == Decimal("0.6")
    assert got[(*key, "context_window")] == 256000
    assert got[(*key, "max_output_tokens")] == 256000
    assert got[(*key, "input_modalities")] == ("image", "text")
    assert got[(*key, "output_modalities")] == ("text",)
    assert got[(*key, "supports_vision")] is True
    assert got[(*key, "supports_multimodal_input")] is True
    assert got[(*key, "open_weights")] is True
    assert got[(*key, "supports_reasoning")] is True
    assert got[(*key, "supports_function_calling")] is True
    assert got[(*key, "supports_tool_use")] is True


def test_what_models_dev_does_not_state_is_not_emitted(offerings):
    got, _ = offerings
    key = ("mistral-small-2603", "mistral")
    for field in ("cache_read_usd_per_mtok", "cache_write_usd_per_mtok", "max_input_tokens",
                  "supports_structured_outputs", "deprecation_date"):
        assert (*key, field) not in got
    assert got[("gpt-4o", "openai", "supports_structured_outputs")] is True
    assert got[("gpt-4o", "openai", "cache_read_usd_per_mtok")] == Decimal("1.25")


def test_text_only_input_is_neither_vision_nor_multimodal(offerings):
    got, _ = offerings
    key = ("mistral-embed", "mistral")
    assert got[(*key, "supports_vision")] is False
    assert got[(*key, "supports_multimodal_input")] is False
    assert got[(*key, "supports_tool_use")] is False
    assert got[(*key, "output_usd_per_mtok")] == 0
    assert got[("gpt-4o", "openai", "supports_vision")] is True  # text, image, pdf


def test_a_zero_limit_means_unknown_and_is_neither_a_value_nor_a_rejection(offerings):
    got, rejections = offerings
    for field in ("context_window", "max_output_tokens", "max_input_tokens"):
        assert ("gpt-image-1", "openai", field) not in got
        assert ("gpt-image-1", "openai", field) not in rejections
    assert got[("gpt-image-1", "openai", "output_modalities")] == ("image",)


def test_tiered_costs_use_the_flat_price_and_do_not_crash(offerings):
    got, _ = offerings
    key = ("claude-opus-4-7", "302ai")
    assert got[(*key, "input_usd_per_mtok")] == 5
    assert got[(*key, "output_usd_per_mtok")] == 25
    assert got[(*key, "cache_read_usd_per_mtok")] == Decimal("0.5")
    assert got[(*key, "cache_write_usd_per_mtok")] == Decimal("6.25")


def test_unrecognized_cost_spellings_are_not_read_as_cache_prices(offerings):
    got, _ = offerings
    assert got[("MiniMax-M2.1", "minimax", "input_usd_per_mtok")] == Decimal("0.3")
    assert ("MiniMax-M2.1", "minimax", "cache_read_usd_per_mtok") not in got  # `cached_input`


def test_a_deprecated_status_without_a_date_yields_no_deprecation_date(offerings):
    got, _ = offerings
    assert ("claude-3-5-sonnet-20240620", "anthropic", "deprecation_date") not in got
    assert got[("claude-3-5-sonnet-20240620", "anthropic", "name")] == "Claude Sonnet 3.5"


def test_the_fixture_yields_no_rejections(offerings):
    assert offerings[1] == {}


def test_models_json_states_model_facts_without_a_provider():
    result = run(fixture("modelsdev_models.json"), MODELS)
    got = facts(result)
    assert {o.provider_id for o in result.observations} == {None}
    key = ("mistral/mistral-small-2603", None)
    assert got[(*key, "name")] == "Mistral Small 4"
    assert got[(*key, "hugging_face_id")] == "mistralai/Mistral-Small-4-119B-2603"
    assert got[(*key, "context_window")] == 256000
    assert not any(field.endswith("_usd_per_mtok") for (_, _, field) in got)
    # two weights links, one quantized: the unquantized repository is the id
    assert got[("deepreinforce/ornith-1.0-397b", None, "hugging_face_id")] == "deepreinforce-ai/Ornith-1.0-397B"
    assert got[("deepreinforce/ornith-1.0-35b", None, "license")] == "MIT"


def test_a_month_only_release_date_is_kept_at_month_precision():
    result = run(fixture("modelsdev_models.json"), MODELS)
    [release] = [o for o in result.observations
                 if (o.model_id, o.field) == ("alibaba/qwen2-5-vl-72b-instruct", "release_date")]
    assert release.value == date(2024, 9, 1)
    assert "2024-09" in release.note
    assert result.rejections == []


@pytest.mark.parametrize("value, reason", [(-0.15, "below the plausible minimum"),
                                           ("cheap", "not a number"),
                                           (1500, "above the plausible maximum")])
def test_a_bad_cost_is_a_rejection_not_a_failure(value, reason):
    payload = fixture("modelsdev_api.json")
    payload["mistral"]["models"]["mistral-small-2603"]["cost"]["input"] = value
    result = run(payload)
    assert reason in rejected(result)[("mistral-small-2603", "mistral", "input_usd_per_mtok")]
    assert facts(result)[("mistral-small-2603", "mistral", "output_usd_per_mtok")] == Decimal("0.6")


@pytest.mark.parametrize("mutate, message", [
    (lambda p: list(p.values()), "expected object at $"),
    (lambda p: {**p, "mistral": {k: v for k, v in p["mistral"].items() if k != "models"}}, "missing $.mistral.models"),
    (lambda p: {**p, "openai": {**p["openai"], "models": []}}, "expected object at $.openai.models"),
    (lambda p: {**p, "mistral": {**p["mistral"], "models": {"x": {**p["mistral"]["models"]["mistral-embed"], "limit": 5}}}},
     "expected object at $.mistral.models.x.limit"),
])
def test_a_payload_of_the_wrong_shape_is_a_source_error_naming_the_path(mutate, message):
    with pytest.raises(SourceError) as caught:
        run(mutate(fixture("modelsdev_api.json")))
    assert caught.value.reason.startswith(message) and caught.value.url == API


def test_an_unknown_models_dev_url_is_a_source_error():
    with pytest.raises(SourceError, match="not a models.dev document"):
        run({}, "https://models.dev/logos/mistral.svg")


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("label, offerings", [("2026-08", 5276), ("2026-01", 2301)])
def test_every_offering_of_a_recorded_snapshot_is_extracted(shared_snapshots, label, offerings):
    doc = snapshot_document(shared_snapshots, label, API)
    payload = json.loads(doc.body)
    result = extract(doc)
    expected = {(model, provider) for provider, p in payload.items() for model in p["models"]}
    assert len(expected) == offerings
    assert {(o.model_id, o.provider_id) for o in result.observations} == expected
    priced = {(model, provider) for provider, p in payload.items() for model, m in p["models"].items()
              if isinstance(m.get("cost", {}).get("input"), (int, float))}
    got = {(o.model_id, o.provider_id) for o in result.observations if o.field == "input_usd_per_mtok"}
    assert got | {(r.model_id, r.provider_id) for r in result.rejections if r.field == "input_usd_per_mtok"} == priced


def test_the_recorded_models_json_is_extracted(shared_snapshots):
    doc = snapshot_document(shared_snapshots, "2026-08", MODELS)
    result = extract(doc)
    assert {o.model_id for o in result.observations if o.field == "name"} == set(json.loads(doc.body))
    assert len({o.model_id for o in result.observations}) == 231
