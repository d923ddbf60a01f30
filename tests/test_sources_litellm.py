"""LiteLLM's price and context-window map: one offering per key, booleans only where stated."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from pipeline.observation import SourceError
from pipeline.sources.litellm import extract
from tests.test_sources_common import URLS, document, facts, fixture, rejected, snapshot_document

URL = URLS["litellm"][0]


def run(payload):
    return extract(document("litellm", URL, payload))


@pytest.fixture(scope="module")
def entries():
    result = run(fixture("litellm.json"))
    return facts(result), rejected(result)


def test_an_entry_is_an_offering_of_its_litellm_provider(entries):
    got, _ = entries
    key = ("azure_ai/mistral-large-2407", "azure_ai")
    assert got[(*key, "input_usd_per_mtok")] == 2
    assert got[(*key, "output_usd_per_mtok")] == 6
    assert got[(*key, "context_window")] == 128000
    assert got[(*key, "max_output_tokens")] == 4096
    assert got[(*key, "deprecation_date")] == date(2025, 5, 13)
    assert got[(*key, "supports_function_calling")] is True
    assert got[(*key, "supports_tool_use")] is True
    assert got[("mistral.mistral-large-2407-v1:0", "bedrock", "max_output_tokens")] == 8191
    qwen = ("fireworks_ai/accounts/fireworks/models/qwen2-7b-instruct", "fireworks_ai")
    assert got[(*qwen, "input_usd_per_mtok")] == Decimal("0.2")
    assert got[(*qwen, "context_window")] == 32768


def test_cache_prices_and_capabilities(entries):
    got, _ = entries
    key = ("mistral/mistral-small-2603", "mistral")
    assert got[(*key, "input_usd_per_mtok")] == Decimal("0.15")
    assert got[(*key, "output_usd_per_mtok")] == Decimal("0.6")
    assert got[(*key, "cache_read_usd_per_mtok")] == Decimal("0.015")
    for field in ("supports_vision", "supports_structured_outputs", "supports_reasoning", "supports_function_calling"):
        assert got[(*key, field)] is True
    assert got[("gpt-4o", "openai", "cache_read_usd_per_mtok")] == Decimal("1.25")
    assert got[("gpt-4o", "openai", "supports_structured_outputs")] is True


def test_a_boolean_the_entry_does_not_state_is_not_emitted(entries):
    got, _ = entries
    key = ("azure_ai/mistral-large-2407", "azure_ai")
    for field in ("supports_vision", "supports_reasoning", "supports_structured_outputs", "cache_read_usd_per_mtok"):
        assert (*key, field) not in got
    qwen = ("fireworks_ai/accounts/fireworks/models/qwen2-7b-instruct", "fireworks_ai")
    assert not any(k[:2] == qwen and k[2].startswith("supports_") for k in got)


def test_tool_use_follows_function_calling_else_tool_choice():
    result = run(fixture("litellm.json"))
    notes = {(o.model_id, o.field): (o.value, o.note) for o in result.observations}
    assert notes[("azure/gpt-4-32k", "supports_tool_use")] == (True, "inferred from supports_tool_choice")
    assert ("azure/gpt-4-32k", "supports_function_calling") not in notes
    # function calling stated false wins over a true supports_tool_choice
    assert notes[("gemini/gemini-2.5-pro-preview-tts", "supports_tool_use")] == (False, None)


def test_any_mode_is_extracted_but_entries_without_one_are_not_models(entries):
    got, rejections = entries
    assert got[("text-embedding-3-small", "openai", "input_usd_per_mtok")] == Decimal("0.02")
    assert not any(model in ("sample_spec", "fireworks-ai-default") for (model, *_) in got)
    assert not any(model in ("sample_spec", "fireworks-ai-default") for (model, _, _) in rejections)


def test_an_implausible_real_price_is_rejected(entries):
    got, rejections = entries
    key = ("azure_ai/jais-30b-chat", "azure_ai", "input_usd_per_mtok")  # 0.0032 per token
    assert "above the plausible maximum 1000" in rejections[key]
    assert key not in got
    assert set(rejections) == {key, ("azure_ai/jais-30b-chat", "azure_ai", "output_usd_per_mtok")}


@pytest.mark.parametrize("entry, field, reason", [
    ("not a model", None, "entry is not an object"),
    ({"mode": "chat", "input_cost_per_token": -1e-06, "litellm_provider": "x"}, "input_usd_per_mtok", "below the plausible minimum"),
    ({"mode": "chat", "input_cost_per_token": "2e-6 USD", "litellm_provider": "x"}, "input_usd_per_mtok", "not a number"),
    ({"mode": "chat", "supports_vision": "yes", "litellm_provider": "x"}, "supports_vision", "expected true or false"),
    ({"mode": "chat", "input_cost_per_token": 1e-06}, None, "entry has no litellm_provider"),
])
def test_a_bad_entry_or_value_is_a_rejection_not_a_failure(entry, field, reason):
    payload = fixture("litellm.json")
    payload["my-model"] = entry
    result = run(payload)
    reasons = {(r.model_id, r.field): r.reason for r in result.rejections}
    assert reason in reasons[("my-model", field)]
    assert facts(result)[("gpt-4o", "openai", "input_usd_per_mtok")] == Decimal("2.5")


def test_a_top_level_that_is_not_an_object_is_a_source_error():
    with pytest.raises(SourceError, match=r"expected object at \$"):
        run(list(fixture("litellm.json").values()))


@pytest.fixture(scope="module", params=["2026-08", "2026-01"])
def recorded(request, shared_snapshots):
    """A recorded LiteLLM map (3 MB in 2026-08), parsed and extracted once for the module."""
    doc = snapshot_document(shared_snapshots, request.param, URL)
    return json.loads(doc.body), extract(doc)


def test_every_priced_chat_entry_yields_an_input_price_or_a_rejection(recorded):
    payload, result = recorded
    chat = {k for k, v in payload.items() if k != "sample_spec" and isinstance(v, dict) and v.get("mode") == "chat"
            and isinstance(v.get("input_cost_per_token"), (int, float))}
    assert len(chat) > 1000
    stated = {o.model_id for o in result.observations if o.field == "input_usd_per_mtok"}
    refused = {r.model_id for r in result.rejections if r.field == "input_usd_per_mtok"}
    assert chat <= stated | refused
    assert not stated & refused


def test_every_entry_with_a_mode_is_an_offering_of_its_provider(recorded):
    payload, result = recorded
    offerings = {(k, v["litellm_provider"]) for k, v in payload.items()
                 if k != "sample_spec" and isinstance(v, dict) and "mode" in v}
    seen = {(o.model_id, o.provider_id) for o in result.observations}
    assert seen <= offerings
    # missing only when every value was rejected, or the entry has none we read (e.g. per-image costs)
    missing = offerings - seen - {(r.model_id, r.provider_id) for r in result.rejections}
    assert all(not ({"input_cost_per_token", "max_input_tokens"} & set(payload[k])) for k, _ in missing)
