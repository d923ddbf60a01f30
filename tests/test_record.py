"""Comparison records: arithmetic, unknowns, conflicts, one statement once, rendering, schema."""
from __future__ import annotations

import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from records import figures as fig
from records.build import build_record
from records.render import to_html, to_json, to_markdown
from records.schema import Candidate, ComparisonRecord, Conflict, Route, TrafficProfile, json_schema
from tests.comparison_helpers import LARGE, QWEN, SMALL, demo_warehouse
from warehouse.records import load_documents, load_facts

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "comparison-record.schema.json"


@pytest.fixture(scope="module")
def facts():
    con = demo_warehouse()
    return load_facts(con, [LARGE, SMALL, QWEN]), load_documents(con, [LARGE, SMALL, QWEN])


def record(facts, a, b, traffic=None, **changes):
    """The record of a against b; `changes` replace fields of either side's facts (by model id)."""
    models, docs = facts
    fa, fb = (models[m].model_copy(update=changes.get(m, {})) for m in (a, b))
    return build_record(fa, fb, docs[a] + docs[b], traffic)


def sentences(r: ComparisonRecord) -> list[str]:
    text = [r.verdict, *r.tradeoffs, *r.switch_friction.statements, *r.deep_dive, *(q.answer for q in r.faq)]
    return [s.strip() for t in text for s in re.split(r"(?<=\.)\s+", t) if s.strip()]


# --- arithmetic ----------------------------------------------------------------------------

def test_cheaper_is_a_share_of_the_higher_price_never_above_100_percent():
    assert fig.percent_cheaper(D("0.15"), D("0.50")) == D("70.0")
    assert fig.times_as_much(D("0.15"), D("0.50")) == D("3.3")
    assert fig.percent(fig.percent_cheaper(D("0.15"), D("0.50"))) == "70%"
    assert fig.multiple(fig.times_as_much(D("0.15"), D("0.50"))) == "3.3x"
    assert fig.percent_cheaper(D(0), D("0.50")) == D(100) and fig.times_as_much(D(0), D("0.5")) is None
    with pytest.raises(ValueError):
        fig.percent_cheaper(D("0.50"), D("0.15"))


def test_rounding_is_half_up_and_exact():
    assert fig.percent_cheaper(D("0.8775"), D(1)) == D("12.3")  # exactly 12.25: half up, not to even
    assert fig.percent_cheaper(D("0.285"), D("3.2")) == D("91.1")  # 91.09375
    assert fig.times_as_much(D("0.285"), D("3.2")) == D("11.2")  # 11.228...
    assert fig.times_as_much(D("0.2"), D("0.285")) == D("1.4")  # 1.425 -> 1.4 (not a tie once exact)
    assert fig.percent_cheaper(D("1"), D("3")) == D("66.7")


def test_blended_and_monthly_prices_are_computed_exactly():
    assert fig.blended_price(D("0.15"), D("0.60"), D("0.7")) == D("0.285")
    assert fig.blended_price(D("2"), D("6"), D("0.75")) == D("3")
    assert fig.monthly_cost(D("0.15"), D("0.60"), 100_000_000, 30_000_000) == D("33")
    assert fig.monthly_cost(D("0.1875"), D("0.75"), 1_234_567, 7) == D("0.2314865625")


def test_display_conventions():
    assert [fig.tokens(n) for n in (131_072, 128_000, 32_768, 262_144, 1_048_576, 1_000_000, 200_000, None)] == \
        ["128K", "128K", "32K", "256K", "1M", "1M", "200K", "unknown"]
    assert [fig.usd_per_mtok(D(x)) for x in ("0.15", "2", "0.1875", "0.015", "0.285000")] == \
        ["$0.15/1M", "$2.00/1M", "$0.1875/1M", "$0.015/1M", "$0.285/1M"]
    assert fig.usd(D("347")) == "$347.00" and fig.usd(D("1234.565")) == "$1,234.57"
    assert fig.parameters(7_615_616_512) == "7.6B" and fig.parameters(123_000_000_000) == "123B"


# --- the record ----------------------------------------------------------------------------

def test_record_figures_for_mistral_large_against_small(facts):
    # snapshots/demo: Large 2407 at $2/$6 on LiteLLM's bedrock key (2e-06/6e-06 a token), models.dev's kilo
    # entry and OpenRouter (LiteLLM's azure_ai key, also $2/$6, is retired: deprecation_date 2025-05-13);
    # Small 4 at $0.15/$0.60 on kilo, mistral and openrouter.
    r = record(facts, LARGE, SMALL)
    assert r.side_a.cheapest_input.usd == D(2) and r.side_a.cheapest_input.providers == \
        ["amazon-bedrock", "kilo", "openrouter"]
    assert r.side_b.cheapest_output.usd == D("0.6") and r.side_b.cheapest_output.providers == \
        ["kilo", "mistral", "openrouter"]
    assert (r.side_a.blended.usd, r.side_b.blended.usd) == (D("3.2"), D("0.285"))
    assert (r.side_a.monthly.usd, r.side_b.monthly.usd) == (D(380), D(33))
    assert r.price.cheaper_model == SMALL and r.price.percent_cheaper == D("91.1")
    assert r.price.times_as_much == D("11.2") and r.price.monthly_gap_usd == D(347)
    assert r.verdict.startswith("Mistral Small 4 is 91.1% cheaper than Mistral Large 2407 at a 70/30 blended "
                                "price ($0.285/1M vs $3.20/1M)")
    assert "233" not in to_markdown(r)
    # Small 4: kilo, mistral, nano-gpt (plain and :thinking), nvidia, openrouter, regolo-ai, venice; the
    # other listings at mistral and openrouter (LiteLLM's, genai-prices') are not preferred, so not routes
    assert (r.side_a.routes, r.side_b.routes) == (3, 8)
    assert r.benchmarks.rows == [] and "0 shared rows" in r.benchmarks.note  # neither Mistral is on a leaderboard


def test_traffic_profile_is_configurable_and_stated(facts):
    traffic = TrafficProfile(input_tokens_per_month=10_000_000, output_tokens_per_month=1_000_000, input_share=D("0.5"))
    r = record(facts, SMALL, QWEN, traffic)
    assert r.traffic == traffic
    assert (r.side_a.blended.usd, r.side_b.blended.usd) == (D("0.375"), D("0.2"))
    assert (r.side_a.monthly.usd, r.side_b.monthly.usd) == (D("2.1"), D("2.2"))
    md = to_markdown(r)
    assert "10,000,000 input and 1,000,000 output tokens a month" in md and "Blended price (50/50)" in md
    assert "Monthly gap: $0.10, lower for Mistral Small 4." in md


def test_each_statement_appears_once_and_friction_is_not_mirrored(facts):
    for a, b in ((LARGE, SMALL), (SMALL, LARGE), (SMALL, QWEN), (QWEN, LARGE)):
        r = record(facts, a, b)
        said = sentences(r)
        assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]
        friction = r.switch_friction.statements
        assert len(friction) == len(set(friction))
        for cap in ("vision", "multimodal input", "reasoning"):
            assert sum(cap in s for s in friction) <= 1, friction
        for provider in ("Mistral AI", "OpenRouter"):
            assert sum(s.startswith(f"On {provider}:") for s in friction) <= 1
    forward, backward = record(facts, LARGE, SMALL), record(facts, SMALL, LARGE)
    assert len(forward.switch_friction.statements) == len(backward.switch_friction.statements) == 5
    assert forward.switch_friction.only_b == backward.switch_friction.only_a == ["vision", "multimodal_input", "reasoning"]


def test_a_missing_price_is_unknown_and_no_cost_claim_is_made(facts):
    r = record(facts, SMALL, QWEN, **{QWEN: {"routes": []}})
    assert not r.price.comparable and r.price.cheaper_model is None and r.side_b.monthly is None
    assert r.verdict.startswith("No cost verdict: Qwen2-7B-Instruct has no sourced input and output price")
    claims = " ".join([r.verdict, *r.tradeoffs, *r.deep_dive, *(q.answer for q in r.faq)])
    assert "cheaper than" not in claims and "saves" not in claims and "lower blended price" not in claims
    md = to_markdown(r)
    assert "| Qwen2-7B-Instruct | unknown | no priced route |" in md
    assert "Monthly gap: unknown until both models have a sourced input and output price." in md


def test_free_variants_are_listed_but_never_the_cheapest_route(facts):
    free = Route(provider_id="openrouter", provider="OpenRouter", route="qwen/qwen-2-7b-instruct:free",
                 source="openrouter", variant="free", input_usd_per_mtok=D(0), output_usd_per_mtok=D(0))
    models, _ = facts
    r = record(facts, SMALL, QWEN, **{QWEN: {"routes": [*models[QWEN].routes, free]}})
    assert r.side_b.cheapest_input.usd == D("0.2") and r.side_b.routes == 2
    r = record(facts, SMALL, QWEN, **{QWEN: {"routes": [free]}})
    assert r.side_b.blended is None and not r.price.comparable
    assert "qwen/qwen-2-7b-instruct:free" in to_markdown(r)
    trial = free.model_copy(update={"variant": None, "route": "qwen/qwen2-7b-instruct", "provider": "NVIDIA NIM"})
    assert trial.free_tier and not trial.priced  # $0 in and out: a trial endpoint, not a price
    r = record(facts, SMALL, QWEN, **{QWEN: {"routes": [*models[QWEN].routes, trial]}})
    assert r.side_b.cheapest_output.usd == D("0.2") and "free on" not in r.verdict


def test_an_unknown_context_window_makes_no_context_claim(facts):
    models, _ = facts
    specs = models[QWEN].specs.model_copy(update={"context_window": models[QWEN].specs.context_window.model_copy(
        update={"value": None, "sources": []})})
    r = record(facts, SMALL, QWEN, **{QWEN: {"specs": specs}})
    text = " ".join([r.verdict, *r.tradeoffs, *r.switch_friction.statements, *r.deep_dive, *(q.answer for q in r.faq)])
    assert "larger context" not in text and "fit only" not in text
    assert "Context window is not sourced for Qwen2-7B-Instruct; no context comparison is made." in r.tradeoffs
    assert "Unknown: no source states the context window of Qwen2-7B-Instruct." in text
    assert "Long context" not in r.side_b.decision_fit and "RAG" not in r.side_b.decision_fit


def test_an_unknown_capability_is_unknown_not_no(facts):
    # The demo states one capability of Qwen2-7B-Instruct: vision No, from its card (pipeline_tag
    # text-generation, a plain causal-LM config); no source states the others.
    r = record(facts, SMALL, QWEN)
    assert r.model_b.capability("vision") == "no"
    assert r.model_b.capability("function_calling") == "unknown"
    assert r.switch_friction.only_a == ["vision"]  # Yes against No is a contrast; Yes against unknown is none
    assert r.switch_friction.unknown_b == ["multimodal_input", "function_calling", "tool_use",
                                           "structured_outputs", "reasoning"]
    md = to_markdown(r)
    assert "| Function calling | Yes \\[litellm, modelsdev, openrouter\\] | Unknown |" in md
    assert "Agents" not in r.side_b.decision_fit


def test_a_source_is_cited_only_for_the_value_it_states(facts):
    # Large 2407's context: 131072 in models.dev (kilo, openrouter) and OpenRouter (its gated card's
    # config.json answers 401, so the card states none); LiteLLM's bedrock and azure_ai keys say
    # max_input_tokens 128000: within tolerance, not the value.
    models, _ = facts
    ctx = models[LARGE].specs.context_window
    assert ctx.value == 131072 and ctx.sources == ["modelsdev", "openrouter"] and not ctx.disputed
    litellm = [c for c in ctx.candidates if c.source == "litellm"]
    assert {(c.provider, c.value, c.agrees, c.exact) for c in litellm} == {("azure_ai", "128000", True, False),
                                                                          ("bedrock", "128000", True, False)}
    assert litellm[0].url == "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
    assert litellm[0].as_of == "litellm-1.109.1"
    md = to_markdown(record(facts, LARGE, SMALL))
    assert "| Context window | 131,072 (128K) \\[modelsdev, openrouter\\]; litellm: 128,000 |" in md
    every = json.loads(to_json(record(facts, LARGE, SMALL)))["model_a"]["specs"]["context_window"]["candidates"]
    assert {(c["source"], c["provider"], c["value"]) for c in every} >= {
        ("modelsdev", "kilo", "131072"), ("litellm", "bedrock", "128000"), ("openrouter", "openrouter", "131072")}
    assert "huggingface" not in {c["source"] for c in every}
    assert all(c["url"] and c["source_id"] for c in every)


def test_a_copy_is_not_a_second_witness(facts):
    # Large 2407's knowledge cutoff 2024-03-31 is stated by OpenRouter and by models.dev's openrouter
    # entry, which precedence.yaml `derived` declares a copy of OpenRouter's API: one witness.
    models, _ = facts
    cutoff = models[LARGE].specs.knowledge_cutoff
    assert (cutoff.value, cutoff.sources, cutoff.copies) == ("2024-03-31", ["openrouter"], ["modelsdev (copy of openrouter)"])
    structured = models[LARGE].capability_detail("structured_outputs")
    assert (structured.value, structured.sources, structured.copies) == \
        ("yes", ["openrouter"], ["modelsdev (copy of openrouter)"])
    md = to_markdown(record(facts, LARGE, SMALL))
    assert "| Knowledge cutoff | 2024-03-31 \\[openrouter, modelsdev (copy of openrouter)\\] |" in md
    # Small 4's: models.dev's own mistral entry states it as well, an independent witness
    assert models[SMALL].specs.knowledge_cutoff.sources == ["modelsdev", "openrouter"]


def test_a_disagreement_below_the_deciding_class_is_a_conflict_shown(facts):
    # open_weights: the card (deciding) says true; models.dev's openrouter entry, an aggregator's listing
    # below the deciding classes, says false. Shown, not hidden.
    models, _ = facts
    assert models[LARGE].specs.open_weights.value is True and models[LARGE].specs.open_weights.disputed
    md = to_markdown(record(facts, LARGE, SMALL))
    assert ("Sources disagree on the open weights of Mistral Large 2407: huggingface says true; modelsdev (kilo) "
            "says true; modelsdev (openrouter) says false; used true from huggingface") in md
    assert "below the deciding classes: modelsdev/openrouter (aggregator)" in md  # an aggregator's entry


def test_conflicts_are_shown_with_the_value_used_and_its_source(facts):
    r = record(facts, LARGE, SMALL)
    assert r.model_b.specs.context_window.disputed and not r.model_a.specs.params_total.disputed
    md = to_markdown(r)
    # Small 4: Mistral's own listing 256000 decides; its card's config says 1048576 (beyond tolerance);
    # 262144 (LiteLLM, OpenRouter, models.dev's kilo entry) is 256K in powers of two: shown as their own value
    assert "Sources disagree on the context window of Mistral Small 4: modelsdev (mistral) says 256000;" in md
    assert "huggingface says 1048576" in md and "used 256000 from modelsdev (vendor (modelsdev) wins" in md
    assert ("| Context window | 131,072 (128K) \\[modelsdev, openrouter\\]; litellm: 128,000 | "
            "256,000 (256K) \\[modelsdev\\]; litellm, modelsdev, openrouter: 262,144 (sources disagree: see "
            "Conflicts) |") in md
    assert "| Context window | 128K | 256K (disputed) |" in md


def test_a_value_left_out_as_implausible_is_said_so_not_called_a_disagreement(facts):
    models, _ = facts
    left_out = Conflict(entity=f"{SMALL}@openrouter", field="cache_read_usd_per_mtok", category="implausible",
                        candidates=[Candidate(source="openrouter", source_id=SMALL, value="0.9")], chosen=None,
                        chosen_source=None, reason="implausible: cache read price 0.9 above input price 0.15; left out")
    r = record(facts, LARGE, SMALL, **{SMALL: {"conflicts": [*models[SMALL].conflicts, left_out]}})
    assert ("Left out the cached input price (USD per 1M tokens) of Mistral Small 4 on OpenRouter: openrouter says "
            "0.9 (implausible: cache read price 0.9 above input price 0.15; left out).") in to_markdown(r)


def test_facts_are_cited_and_sources_listed_with_urls_and_dates(facts):
    r = record(facts, SMALL, QWEN)
    assert r.model_a.specs.knowledge_cutoff.sources == ["modelsdev", "openrouter"]
    assert r.model_b.specs.license.sources == ["huggingface"]
    assert {(d.source, d.url) for d in r.sources} >= {
        ("openrouter", "https://openrouter.ai/api/v1/models"),
        ("huggingface", "https://huggingface.co/Qwen/Qwen2-7B-Instruct/raw/main/README.md")}
    html = to_html(r)
    assert '<tr id="src-openrouter">' in html and 'href="#src-openrouter"' in html
    assert '<a href="https://openrouter.ai/api/v1/models">' in html


def test_decision_fit_follows_the_stated_rules(facts):
    r = record(facts, SMALL, QWEN)
    assert r.side_a.decision_fit == ["Long context", "RAG", "Agents", "Vision", "Reasoning", "Structured output",
                                     "Self-hosting"]
    assert r.side_b.decision_fit == ["RAG", "Self-hosting"]  # 32,768 tokens: RAG, not long context
    assert set(r.decision_fit_rules) == {"Long context", "RAG", "Agents", "Vision", "Reasoning",
                                         "Structured output", "Self-hosting"}


def test_json_round_trips_and_the_exported_schema_is_current(facts):
    r = record(facts, LARGE, QWEN)
    assert ComparisonRecord.model_validate_json(to_json(r)) == r
    assert D(json.loads(to_json(r))["side_a"]["monthly"]["usd"]) == D(380)  # exact, as a string
    assert json.loads(SCHEMA.read_text()) == json_schema(), \
        "docs/comparison-record.schema.json is stale: python -m records.schema > docs/comparison-record.schema.json"


def test_pages_need_no_extra_assets(facts):
    html = to_html(record(facts, LARGE, SMALL))
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"<script|<link|<img|\ssrc=|@import|url\(", html)
