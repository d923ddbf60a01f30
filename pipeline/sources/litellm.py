"""LiteLLM's model_prices_and_context_window.json: one entry per model id as LiteLLM routes it
('gpt-4o', 'azure_ai/mistral-large-2407'), with USD-per-token costs.

Only entries with a `mode` are models (any mode: chat, embedding, image_generation...); the
others are Fireworks price buckets ('fireworks-ai-default') and rules, and `sample_spec`
documents the format. A boolean is emitted only where the entry states it.
`supports_tool_use` is `supports_function_calling` where stated, else true when
`supports_tool_choice` is (forcing a tool call implies tools); a false `supports_tool_choice`
says nothing about tools. No key states code execution, so that capability is not emitted.

Price components beyond the four standard base prices are `price_usd_per_mtok` observations:
a key names its component, an optional prompt threshold (`_above_200k_tokens`; strictly above
it, except for xAI, whose thresholds LiteLLM applies from the threshold itself) and an optional
service tier (`_batches`, `_flex`, `_priority`), in either order; `..._above_1hr` is the 1-hour
cache write. `tiered_pricing` ranges ([start, end], start < prompt <= end) are tiers from
their start. Other keys (per-second, per-image, regional or 'balanced' tiers) are not read.
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any

from pipeline.observation import Document, Extraction, add_price, add_unit_price
from pipeline.sources.common import per_mtok, read

PRICES = {"input_usd_per_mtok": "input_cost_per_token", "output_usd_per_mtok": "output_cost_per_token",
          "cache_read_usd_per_mtok": "cache_read_input_token_cost",
          "cache_write_usd_per_mtok": "cache_creation_input_token_cost"}
COMPONENT_KEYS = {"input_cost_per_token": "input", "output_cost_per_token": "output",
                  "cache_read_input_token_cost": "cache_read", "cache_creation_input_token_cost": "cache_write_5m",
                  "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
                  "input_cost_per_audio_token": "input_audio", "output_cost_per_audio_token": "output_audio",
                  "cache_read_input_audio_token_cost": "cache_read_audio",
                  "input_cost_per_image_token": "input_image", "output_cost_per_image_token": "output_image",
                  "input_cost_per_video_token": "input_video", "output_cost_per_reasoning_token": "output_reasoning"}
# LiteLLM's prices per non-token unit (USD per unit as stated) -> pipeline/observation.py UNIT_COMPONENTS
UNIT_KEYS = {"input_cost_per_character": "input_per_character", "output_cost_per_character": "output_per_character",
             "input_cost_per_image": "input_per_image", "output_cost_per_image": "output_per_image",
             "input_cost_per_second": "input_per_second", "output_cost_per_second": "output_per_second",
             "input_cost_per_audio_per_second": "input_audio_per_second",
             "input_cost_per_video_per_second": "input_video_per_second",
             "output_cost_per_video_per_second": "output_video_per_second"}
SERVICE_SUFFIXES = {"batches": "batch", "flex": "flex", "priority": "priority"}
_THRESHOLD = r"_above_(?P<n>\d+)(?P<k>k?)_tokens"
_TIER = r"_(?P<tier>batches|flex|priority)"
PRICE_KEY = re.compile(rf"^(?P<base>{'|'.join(sorted(map(re.escape, COMPONENT_KEYS), key=len, reverse=True))})"
                       rf"(?:{_THRESHOLD}(?:{_TIER})?|{_TIER.replace('tier>', 't2>')}(?:{_THRESHOLD.replace('n>', 'n2>').replace('k>', 'k2>')})?)?$")
INCLUSIVE_THRESHOLD_PROVIDERS = {"xai"}
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
    _components(out, model_id, provider_id, entry)
    for key, component in UNIT_KEYS.items():
        add_unit_price(out, model_id, provider_id, entry.get(key), component)
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


def _components(out: Extraction, model_id: str, provider_id: str, entry: dict[str, Any]) -> None:
    inclusive = provider_id in INCLUSIVE_THRESHOLD_PROVIDERS
    for key, value in entry.items():
        match = PRICE_KEY.match(key)
        if match is None or key in PRICES.values():
            continue
        n, k = match["n"] or match["n2"], match["k"] or match["k2"]
        tier = match["tier"] or match["t2"]
        add_price(out, model_id, provider_id, per_mtok(value), component=COMPONENT_KEYS[match["base"]],
                  service_tier=SERVICE_SUFFIXES[tier] if tier else "standard",
                  threshold_tokens=int(n) * (1000 if k else 1) if n else 0, threshold_inclusive=inclusive and bool(n))
    tiers = entry.get("tiered_pricing")
    if tiers is None:
        return
    if not isinstance(tiers, list):
        out.reject(model_id, provider_id, "price_usd_per_mtok", tiers, "tiered_pricing is not a list")
        return
    token_keys = ("input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
                  "cache_creation_input_token_cost")
    for tier in tiers:
        if isinstance(tier, dict) and not any(k in tier for k in token_keys):
            continue  # a search tool's result-count tiers, not token prices
        bounds = tier.get("range") if isinstance(tier, dict) else None
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, (int, float)) for b in bounds)):
            out.reject(model_id, provider_id, "price_usd_per_mtok", tier, "tiered_pricing: a tier needs a [start, end] range")
            continue
        start = int(bounds[0])
        for raw in token_keys:
            component = COMPONENT_KEYS[raw]
            if raw in tier and not (start == 0 and entry.get(raw) is not None):  # a first range restating the base
                add_price(out, model_id, provider_id, per_mtok(tier[raw]), component=component, threshold_tokens=start,
                          note=f"tiered_pricing range {bounds[0]:g}-{bounds[1]:g}")
