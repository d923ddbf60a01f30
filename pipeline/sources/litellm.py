"""LiteLLM's model_prices_and_context_window.json: one entry per model id as LiteLLM routes it
('gpt-4o', 'azure_ai/mistral-large-2407'), with USD-per-token costs.

Only entries with a `mode` are models (any mode: chat, embedding, image_generation...); the
others are Fireworks price buckets ('fireworks-ai-default') and rules, and `sample_spec`
documents the format. A boolean is emitted only where the entry states it.
`supports_tool_use` is `supports_function_calling` where stated, else true when
`supports_tool_choice` is (forcing a tool call implies tools); a false `supports_tool_choice`
says nothing about tools. No key states code execution, so that capability is not emitted.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from pipeline.observation import Document, Extraction
from pipeline.sources.common import per_mtok, read

PRICES = {"input_usd_per_mtok": "input_cost_per_token", "output_usd_per_mtok": "output_cost_per_token",
          "cache_read_usd_per_mtok": "cache_read_input_token_cost",
          "cache_write_usd_per_mtok": "cache_creation_input_token_cost"}
FLAGS = {"supports_function_calling": "supports_function_calling", "supports_vision": "supports_vision",
         "supports_structured_outputs": "supports_response_schema", "supports_reasoning": "supports_reasoning"}


def extract(doc: Document) -> Extraction:
    out = Extraction(doc)
    for model_id, entry in read(doc, dict[str, Any]).items():
        if model_id == "sample_spec":
            continue
        if not isinstance(entry, dict):
            out.reject(model_id, None, None, entry, "entry is not an object")
        elif "mode" in entry:
            _emit(out, model_id, entry)
    return out


def _emit(out: Extraction, model_id: str, entry: dict[str, Any]) -> None:
    provider_id = entry.get("litellm_provider")
    if not isinstance(provider_id, str) or not provider_id.strip():
        out.reject(model_id, None, None, provider_id, "entry has no litellm_provider")
        return
    add = partial(out.add, model_id, provider_id)
    for field, key in PRICES.items():
        add(field, per_mtok(entry.get(key)))
    add("context_window", entry.get("max_input_tokens"))
    add("max_output_tokens", entry.get("max_output_tokens"))
    add("deprecation_date", entry.get("deprecation_date"))
    add("mode", entry.get("mode"))
    for field, key in FLAGS.items():
        add(field, entry.get(key))
    if entry.get("supports_function_calling") is not None:
        add("supports_tool_use", entry["supports_function_calling"])
    elif entry.get("supports_tool_choice") is True:
        add("supports_tool_use", True, note="inferred from supports_tool_choice")
