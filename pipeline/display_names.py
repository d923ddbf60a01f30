"""Display names: a source's name for a model without the listing's own annotations, and the
name a model without any source's name is shown under.

A catalogue or reseller labels its listing, not the model: OpenRouter and the gateways models.dev
copies it to prefix the vendor ('Mistral: Mistral Small 4'), and suffix what the listing is
('Claude Sonnet 4.5 (latest)': the undated alias; '... (free)': the free route; '... (EU)': a
region's route). Those annotations are stripped here, the one place; everything else a source
writes is its name ('GPT-4o (2024-11-20)', 'Phi-3-mini instruct (128k)', 'Grok 4.20 (Reasoning)'
name distinct models and stay).
"""
from __future__ import annotations

import re

# Suffixes naming the listing, not the model: an alias marker, a price tier, a route's region.
LISTING_SUFFIX = re.compile(r"\s*\((?:latest|free|us|eu|global|jp|au|apac)\)\s*$", re.IGNORECASE)
# A reseller's vendor prefix, 'Mistral: ' or 'Arcee AI: ' (a short label before ': ').
VENDOR_PREFIX = re.compile(r"^[^:()]{1,40}:\s+(?=\S)")


def display_name(name: str | None) -> str | None:
    """`name` as a source states it, without a vendor prefix or listing suffixes; None (or a name
    that is nothing but annotations) stays None."""
    if name is None:
        return None
    text = VENDOR_PREFIX.sub("", name.strip())
    while (stripped := LISTING_SUFFIX.sub("", text)) != text:
        text = stripped
    return text.strip() or None


def id_name(model_id: str) -> str:
    """The name of a model no source names: its id without the vendor ('openai/gpt-oss-20b' ->
    'gpt-oss-20b'), the vendor's own words as its API spells them. Nothing is re-cased or
    re-spaced: 'Gpt Oss 20b' would be a name no one uses."""
    return model_id.split("/", 1)[-1]
