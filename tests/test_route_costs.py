"""Routes are routes (issue 17): what bounds a route's prompt and what a route without caching bills,
held on the 2026-08 snapshot in both places that price profiles, the cost engine
(`warehouse.costs` over `records.cost`) and the table the pair SQL reads (`route_profile_costs`,
which `warehouse.costs.write_route_profile_costs` fills with the engine's figures).

Expected figures are read from the snapshot's files (models.dev's limits, genai-prices' data.json)
or computed by LiteLLM's own calculator, never from versus' output.
"""
from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest

from records.cost import NO_CACHING, Usage, profiles
from warehouse.costs import cheapest_for, profile_sides, route_facts

LONG = next(p for p in profiles().profiles if p.name == "long-context")
RAG = next(p for p in profiles().profiles if p.name == "rag")


@pytest.fixture(scope="module")
def pair_sql(august):
    """The per-route profile costs the pair SQL reads: (model, provider, variant, profile) -> usd."""
    from warehouse.comparisons import _write_profiles
    from warehouse.costs import write_route_profile_costs

    _write_profiles(august)
    write_route_profile_costs(august)
    return {(m, p, v, prof): usd for m, p, v, prof, usd in august.execute(
        "SELECT model_id, provider_id, variant, profile, usd FROM route_profile_costs").fetchall()}


def _route(con, model_id: str, provider_id: str):
    (facts,) = route_facts(con, model_id, provider_id)
    return facts


def _engine(facts, usage: Usage):
    _, _, (cost,) = cheapest_for([facts], usage)
    return cost


def _modelsdev_windows(shared_snapshots, model_key: str) -> set[int]:
    api = json.loads((shared_snapshots / "2026-08" / "models.dev" / "api.json").read_text())
    return {m["limit"]["context"] for p in api.values() for mid, m in p["models"].items()
            if model_key in mid.lower() and (m.get("limit") or {}).get("context")}


# --- a route that states no context window is bounded by the model's ----------------------------

@pytest.mark.parametrize("model_id, provider_id, model_key", [
    ("openai/gpt-oss-120b", "openai", "gpt-oss-120b"),  # genai-prices' OpenAI entry: no window
    ("meta-llama/llama-3.3-70b-instruct", "nscale", "llama-3.3-70b"),  # LiteLLM's nscale entry: none
])
def test_a_route_that_states_no_window_does_not_take_a_prompt_above_the_models(
        august, pair_sql, shared_snapshots, model_id, provider_id, model_key):
    stated = _modelsdev_windows(shared_snapshots, model_key)
    assert stated and max(stated) < LONG.input_tokens_per_request  # no provider of models.dev takes 250K
    facts = _route(august, model_id, provider_id)
    assert not facts.context_windows and facts.model_context_window in stated
    cost = _engine(facts, LONG.usage)
    assert cost.usd is None
    assert cost.cost.unknown_components[-1] == (
        f"context window: a 250,000-token prompt is above the model's {facts.model_context_window:,}-token "
        "window (no source states this route's)")
    assert pair_sql[(model_id, provider_id, None, "long-context")] is None
    (side,) = [s for p, s in profile_sides([facts], [LONG])]
    assert side.usd is None and side.unknown == ["a context window that fits the prompt"]


def test_a_prompt_within_the_models_window_is_priced_on_a_route_that_states_none(august, shared_snapshots):
    data = json.loads((shared_snapshots / "2026-08" / "genai-prices" / "data.json").read_text())
    (entry,) = [m for p in data if p["id"] == "openai" for m in p["models"] if m["id"] == "gpt-oss-120b"]
    usage = Usage(input_tokens=100_000, output_tokens=1_000)
    expected = (Decimal(str(entry["prices"]["input_mtok"])) * 100_000
                + Decimal(str(entry["prices"]["output_mtok"])) * 1_000) / 1_000_000
    assert _engine(_route(august, "openai/gpt-oss-120b", "openai"), usage).usd == expected


def test_a_route_whose_window_neither_it_nor_the_model_states_is_unknown_for_every_profile(august, pair_sql):
    model_id, provider_id = august.execute("""
        SELECT o.model_id, o.provider_id FROM offerings o JOIN models m USING (model_id)
        WHERE o.active AND coalesce(o.preferred, true) AND o.variant IS NULL AND m.context_window IS NULL
          AND o.input_usd_per_mtok > 0 AND o.output_usd_per_mtok > 0
          AND NOT EXISTS (SELECT 1 FROM offerings g WHERE g.model_id = o.model_id AND g.provider_id = o.provider_id
                          AND g.active AND g.context_window IS NOT NULL)
        ORDER BY ALL LIMIT 1""").fetchone()
    facts = _route(august, model_id, provider_id)
    chat = next(p for p in profiles().profiles if p.name == "chat")
    cost = _engine(facts, chat.usage)
    assert cost.usd is None and cost.cost.unknown_components[-1].startswith("context window unknown")
    assert not cost.cost.unknown_components[:-1]  # its prices alone would price it
    assert pair_sql[(model_id, provider_id, None, "chat")] is None
    (side,) = [s for p, s in profile_sides([facts], [chat])]
    assert side.unknown == ["a stated context window"]


# --- a route that does not offer caching bills a cache hit as plain input ------------------------

@pytest.fixture(scope="module")
def litellm_module(shared_snapshots):
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    return pytest.importorskip("litellm")


def _litellm_month(litellm, key: str, profile) -> Decimal:
    u = profile.usage
    prompt, completion = litellm.cost_per_token(model=key, prompt_tokens=u.input_tokens, completion_tokens=u.output_tokens,
                                                cache_read_input_tokens=u.cache_read_tokens)
    return (Decimal(repr(prompt)) + Decimal(repr(completion))) * u.requests


def test_a_route_without_caching_bills_cached_tokens_as_input(august, pair_sql, litellm_module):
    key = "nscale/meta-llama/Llama-3.3-70B-Instruct"
    assert not any(k.startswith("cache") for k in litellm_module.model_cost[key])  # nscale states no cache price
    facts = _route(august, "meta-llama/llama-3.3-70b-instruct", "nscale")
    cost = _engine(facts, RAG.usage)
    expected = _litellm_month(litellm_module, key, RAG)  # LiteLLM bills an unpriced cache read as input
    assert cost.usd is not None and abs(cost.usd - expected) < Decimal("0.000001"), (cost.usd, expected)
    (line,) = [b for b in cost.cost.breakdown if b.component == "cache_read"]
    (inp,) = [b for b in cost.cost.breakdown if b.component == "input"]
    assert (line.usd_per_mtok, line.source, line.note) == (inp.usd_per_mtok, "litellm", NO_CACHING)
    assert line.tokens == RAG.requests_per_month * 2_000
    assert pair_sql[("meta-llama/llama-3.3-70b-instruct", "nscale", None, "rag")] == cost.usd


def test_a_cache_price_only_a_price_feed_states_is_used_and_cited(august, pair_sql, litellm_module):
    """Mistral's own API for Mistral Small 2603: models.dev (the preferred listing) states no cache
    price; LiteLLM's mistral/mistral-small-2603 does ($0.015 per million)."""
    key = "mistral/mistral-small-2603"
    assert Decimal(repr(litellm_module.model_cost[key]["cache_read_input_token_cost"])) * 1_000_000 == Decimal("0.015")
    facts = _route(august, "mistralai/mistral-small-2603", "mistral")
    cost = _engine(facts, RAG.usage)
    (line,) = [b for b in cost.cost.breakdown if b.component == "cache_read"]
    assert (line.usd_per_mtok, line.source, line.note) == (Decimal("0.015"), "litellm", None)
    assert abs(cost.usd - _litellm_month(litellm_module, key, RAG)) < Decimal("0.000001")
    assert pair_sql[("mistralai/mistral-small-2603", "mistral", None, "rag")] == cost.usd


# --- 128,000 and 131,072 are both 128K ------------------------------------------------------------

def test_windows_of_one_size_are_not_called_a_difference(august, shared_snapshots):
    """GPT OSS 120B (131,072 tokens at Groq, Cerebras and others on models.dev) against Llama 3.3
    70B Instruct (128,000 in LiteLLM's and genai-prices' Cerebras entries): 128K and 128Ki, one size
    by pipeline/precedence.yaml's token tolerance."""
    import re

    from records.build import build_record
    from warehouse.records import load_documents, load_facts

    gpt, llama = "openai/gpt-oss-120b", "meta-llama/llama-3.3-70b-instruct"
    assert 131_072 in _modelsdev_windows(shared_snapshots, "gpt-oss-120b")
    litellm = json.loads((shared_snapshots / "2026-08" / "litellm" / "model_prices_and_context_window.json").read_text())
    assert litellm["cerebras/llama-3.3-70b"]["max_input_tokens"] == 128_000
    facts, docs = load_facts(august, [gpt, llama]), load_documents(august, [gpt, llama])
    assert (facts[gpt].specs.context_window.value, facts[llama].specs.context_window.value) == (131_072, 128_000)
    record = build_record(facts[gpt], facts[llama], docs[gpt] + docs[llama])
    text = " ".join([record.verdict, *record.tradeoffs, *record.switch_friction.statements, *record.deep_dive,
                     *(q.answer for q in record.faq)])
    assert not re.search(r"fits? only|larger context window[:(]|the larger context window", text), text
    (faq,) = [q.answer for q in record.faq if "larger context window" in q.question]
    assert faq.startswith("Neither: both accept 128K tokens") and "131,072" in faq and "128,000" in faq


def test_the_route_table_shows_a_cache_price_only_a_price_feed_states_cited(august):
    """The same route in the record's pricing table: models.dev's listing states no cached-input
    price, LiteLLM's does ($0.015), so the cell shows LiteLLM's, naming it."""
    from records.layout import _pricing_rows
    from warehouse.records import load_facts

    small = "mistralai/mistral-small-2603"
    m = load_facts(august, [small])[small]
    (route,) = [r for r in m.routes if r.provider_id == "mistral"]
    assert (route.source, route.cache_read_usd_per_mtok, route.cache_read_source) == ("modelsdev", Decimal("0.015"),
                                                                                      "litellm")
    (row,) = [r for r in _pricing_rows(m) if r[1] == route.provider]
    assert row[5] == "$0.015/1M (litellm)"


# --- a catalogue entry is not a live route -------------------------------------------------------

def _catalogue_only(con, provider_id: str, source: str, route: str) -> bool:
    (flag,) = con.execute("SELECT catalogue_only FROM offerings WHERE provider_id = ? AND source = ? AND route = ? "
                          "AND active", [provider_id, source, route]).fetchall()
    return flag[0]


def test_a_route_only_a_price_catalogue_lists_is_marked_catalogue_only(august, shared_snapshots):
    api = json.loads((shared_snapshots / "2026-08" / "models.dev" / "api.json").read_text())
    # genai-prices' OpenAI entry for gpt-oss-120b: models.dev's OpenAI entry lists no gpt-oss model
    assert not [k for k in api["openai"]["models"] if "gpt-oss" in k]
    assert _catalogue_only(august, "openai", "genai_prices", "gpt-oss-120b")
    # LiteLLM's Groq ids: one models.dev's Groq entry no longer lists, one it does
    assert "qwen/qwen3.8-27b" not in api["groq"]["models"] and "openai/gpt-oss-120b" in api["groq"]["models"]
    assert _catalogue_only(august, "groq", "litellm", "groq/qwen/qwen3.8-27b")
    assert not _catalogue_only(august, "groq", "litellm", "groq/openai/gpt-oss-120b")
    # the record says so beside the route's source
    from records.layout import model_sections
    from warehouse.records import load_facts
    facts = load_facts(august, ["openai/gpt-oss-120b"])["openai/gpt-oss-120b"]
    rows = {(row[0], row[-1].text) for row in model_sections(facts).routes.rows}
    assert ("OpenAI", "genai_prices (catalogue only)") in rows
