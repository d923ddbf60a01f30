"""The cost engine (records/cost.py), the price components the extractors read into
offering_prices, the issue's figures on the 2026-08 snapshot, and the set-based SQL of the pair
table held against the engine.

Prices in the hand-built rows are the sources' own for the models named (2026-08 snapshot).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pipeline.curated import CuratedFileError, load_text
from pipeline.observation import Document
from records.cost import PriceRow, ProfileFile, Usage, price, profiles
from warehouse.costs import cheapest_for, route_costs, routes_of, write_route_profile_costs

AUG = datetime(2026, 8, 22, tzinfo=timezone.utc)


def rows(*spec) -> list[PriceRow]:
    """(component, service tier, threshold, inclusive, usd) tuples as price rows."""
    return [PriceRow(component=c, service_tier=t, threshold_tokens=n, threshold_inclusive=i, usd_per_mtok=Decimal(u))
            for c, t, n, i, u in spec]


# genai-prices' Gemini 2.5 Pro at Google: a cliff strictly above 200,000 prompt tokens.
GEMINI = rows(("input", "standard", 0, False, "1.25"), ("input", "standard", 200_000, False, "2.5"),
              ("output", "standard", 0, False, "10"), ("output", "standard", 200_000, False, "15"),
              ("cache_read", "standard", 0, False, "0.125"), ("cache_read", "standard", 200_000, False, "0.25"))
# LiteLLM's xai/grok-4.20-multi-agent-beta-0309: LiteLLM applies xAI's tier from 200,000 tokens on.
GROK = rows(("input", "standard", 0, False, "1.25"), ("input", "standard", 200_000, True, "2.5"),
            ("output", "standard", 0, False, "2.5"), ("output", "standard", 200_000, True, "5"))


# --- the engine ------------------------------------------------------------------------------

def test_a_tier_applies_strictly_above_its_start_for_genai_prices():
    at = price(GEMINI, Usage(input_tokens=200_000, output_tokens=1_000))
    above = price(GEMINI, Usage(input_tokens=200_001, output_tokens=1_000))
    assert at.usd == Decimal("0.26") and at.tier.threshold_tokens == 0  # 200,000 x 1.25 + 1,000 x 10
    assert above.usd == Decimal("0.5150025") and above.tier.threshold_tokens == 200_000  # 200,001 x 2.5 + 1,000 x 15


def test_an_inclusive_threshold_applies_from_the_threshold_itself():
    below = price(GROK, Usage(input_tokens=199_999, output_tokens=1_000))
    at = price(GROK, Usage(input_tokens=200_000, output_tokens=1_000))
    above = price(GROK, Usage(input_tokens=200_001, output_tokens=1_000))
    assert below.tier.threshold_tokens == 0 and below.usd == Decimal("0.25249875")
    assert at.tier.label == "from 200,000 prompt tokens" and at.usd == Decimal("0.505")
    assert above.usd == Decimal("0.5050025")


def test_cached_parts_are_priced_at_their_own_component_inside_the_prompt():
    cost = price(GEMINI, Usage(input_tokens=250_000, cache_read_tokens=50_000, output_tokens=1_000))
    lines = {line.component: (line.tokens, line.usd) for line in cost.breakdown}
    assert lines == {"input": (200_000, Decimal("0.5")), "cache_read": (50_000, Decimal("0.0125")),
                     "output": (1_000, Decimal("0.015"))}
    assert cost.usd == Decimal("0.5275")


def test_a_component_no_source_states_makes_the_cost_unknown_never_zero_or_base():
    no_write = price(GEMINI, Usage(input_tokens=1_000, cache_write_tokens=500, output_tokens=10))
    assert no_write.usd is None and no_write.unknown_components == ["cache_write_5m"]
    # a tier stated for input and output only: the cache read above it is unknown, not the base 0.3
    partial = rows(("input", "standard", 0, False, "3"), ("input", "standard", 200_000, False, "6"),
                   ("output", "standard", 0, False, "15"), ("output", "standard", 200_000, False, "22.5"),
                   ("cache_read", "standard", 0, False, "0.3"))
    cost = price(partial, Usage(input_tokens=250_000, cache_read_tokens=100_000, output_tokens=1_000))
    assert cost.usd is None and cost.unknown_components == ["cache_read (above 200,000 prompt tokens)"]
    # no batch price stated: the batch cost is unknown, never the standard price
    batch = price(GEMINI, Usage(input_tokens=1_000, output_tokens=10, service_tier="batch"))
    assert batch.usd is None and batch.unknown_components == ["input (batch)", "output (batch)"]


def test_cache_parts_cannot_exceed_the_prompt():
    with pytest.raises(ValidationError, match="part of the prompt"):
        Usage(input_tokens=100, cache_read_tokens=80, cache_write_tokens=30)


def test_requests_multiply_the_per_request_cost_exactly():
    cost = price(GEMINI, Usage(input_tokens=1_000, output_tokens=300, requests=100_000))
    assert cost.usd == Decimal("425")  # 100M x 1.25 + 30M x 10, per million


def test_profiles_file_is_schema_checked_with_file_and_line():
    assert [p.name for p in profiles().profiles][:5] == ["chat", "rag", "agent", "long-context", "batch"]
    chat = profiles().profiles[0]
    assert (chat.usage.input_tokens * chat.requests_per_month, chat.usage.output_tokens * chat.requests_per_month) \
        == (100_000_000, 30_000_000)  # today's headline traffic
    bad = ("default: chat\nprofiles:\n- name: chat\n  description: x\n  requests_per_month: 10\n"
           "  input_tokens_per_request: 1000\n  output_tokens_per_request: 1\n  service_tier: bulk\n")
    with pytest.raises(CuratedFileError, match=r"profiles.yaml:8: profiles\[0\].service_tier"):
        load_text(bad, "pipeline/profiles.yaml", ProfileFile)
    with pytest.raises(CuratedFileError, match="not a whole number of tokens"):
        load_text(bad.replace("bulk", "batch") + "  cached_share: 0.3333\n", "pipeline/profiles.yaml", ProfileFile)


# --- extractors: every component the sources state -------------------------------------------

def _doc(source: str, url: str, payload: object, as_of: str = "2026-08-21") -> Document:
    body = json.dumps(payload).encode()
    return Document(source=source, url=url, fetched_at=AUG, as_of=as_of, sha256=hashlib.sha256(body).hexdigest(),
                    body=body)


def _components(extraction) -> dict[tuple, Decimal]:
    return {(o.price.component, o.price.service_tier, o.price.threshold_tokens, o.price.threshold_inclusive,
             o.price.hours, o.price.starts_on and str(o.price.starts_on), o.price.in_force): o.value
            for o in extraction.observations if o.field == "price_usd_per_mtok"}


def test_litellm_reads_thresholds_service_tiers_and_one_hour_writes():
    from pipeline.sources import litellm

    entry = {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 1.25e-06,
             "input_cost_per_token_above_200k_tokens": 2.5e-06, "input_cost_per_token_batches": 6.25e-07,
             "input_cost_per_token_above_200k_tokens_batches": 1.25e-06, "output_cost_per_token_flex": 5e-06,
             "output_cost_per_token_priority_above_200k_tokens": 2.7e-05,
             "cache_creation_input_token_cost_above_1hr": 6e-06, "input_cost_per_token_cache_hit": 4.4e-08}
    got = _components(litellm.extract(_doc("litellm", "x", {"gemini/gemini-2.5-pro": entry})))
    assert got == {("input", "standard", 200_000, False, None, None, True): Decimal("2.5"),
                   ("input", "batch", 0, False, None, None, True): Decimal("0.625"),
                   ("input", "batch", 200_000, False, None, None, True): Decimal("1.25"),
                   ("output", "flex", 0, False, None, None, True): Decimal("5"),
                   ("output", "priority", 200_000, False, None, None, True): Decimal("27"),
                   ("cache_write_1h", "standard", 0, False, None, None, True): Decimal("6")}
    xai = {"litellm_provider": "xai", "mode": "chat", "input_cost_per_token": 1.25e-06,
           "input_cost_per_token_above_200k_tokens": 2.5e-06}
    got = _components(litellm.extract(_doc("litellm", "x", {"xai/grok-4.20-multi-agent-beta-0309": xai})))
    assert got == {("input", "standard", 200_000, True, None, None, True): Decimal("2.5")}
    # tiered_pricing ranges (dashscope/qwen-flash): the range above 256,000 is a tier from there
    qwen = {"litellm_provider": "dashscope", "mode": "chat", "tiered_pricing": [
        {"input_cost_per_token": 5e-08, "output_cost_per_token": 4e-07, "range": [0, 256000.0]},
        {"input_cost_per_token": 2.5e-07, "output_cost_per_token": 2e-06, "range": [256000.0, 1000000.0]}]}
    got = _components(litellm.extract(_doc("litellm", "x", {"dashscope/qwen-flash": qwen})))
    assert got[("input", "standard", 0, False, None, None, True)] == Decimal("0.05")
    assert got[("output", "standard", 256_000, False, None, None, True)] == Decimal("2")


def test_genai_prices_reads_tiers_history_and_off_peak_hours():
    from pipeline.sources import genai_prices

    feed = [{"id": "openai", "models": [{"id": "gpt-5.6-luna", "prices": [
        {"prices": {"input_mtok": 1.1, "output_mtok": 6.6}},
        {"constraint": {"start_date": "2026-07-30"}, "prices": {
            "input_mtok": {"base": 0.22, "tiers": [{"start": 272000, "price": 0.44}]}, "output_mtok": 1.32}}]}]},
        {"id": "deepseek", "models": [{"id": "deepseek-chat", "prices": [
            {"prices": {"input_mtok": 0.27, "output_mtok": 1.1}},
            {"constraint": {"start_time": "16:30:00Z", "end_time": "00:30:00Z"},
             "prices": {"input_mtok": 0.135, "output_mtok": 0.55}}]}]}]
    extraction = genai_prices.extract(_doc("genai_prices", "x", feed))
    base = {(o.model_id, o.field): o.value for o in extraction.observations if o.field.endswith("_usd_per_mtok")
            and o.field != "price_usd_per_mtok"}
    assert base[("gpt-5.6-luna", "input_usd_per_mtok")] == Decimal("0.22")
    got = _components(extraction)
    assert got[("input", "standard", 272_000, False, None, "2026-07-30", True)] == Decimal("0.44")
    # a flat price in a tiered set is the same above the threshold
    assert got[("output", "standard", 272_000, False, None, "2026-07-30", True)] == Decimal("1.32")
    assert got[("input", "standard", 0, False, None, None, False)] == Decimal("1.1")  # the price before 2026-07-30
    assert got[("input", "standard", 0, False, "16:30:00-00:30:00 UTC", None, True)] == Decimal("0.135")


def test_modelsdev_reads_cost_tiers_and_the_legacy_context_over_200k():
    from pipeline.sources import modelsdev

    api = {"302ai": {"id": "302ai", "models": {"gpt-5.4": {"cost": {
        "input": 2.5, "output": 15.0, "cache_read": 0.25,
        "tiers": [{"input": 5.0, "output": 22.5, "tier": {"size": 272000}}]}}}},
        "old": {"id": "old", "models": {"m": {"cost": {"input": 1, "output": 2, "context_over_200k": {
            "input": 2, "output": 4}}}}}}
    got = _components(modelsdev.extract(_doc("modelsdev", modelsdev.API, api)))
    assert got[("input", "standard", 272_000, False, None, None, True)] == Decimal("5")
    assert got[("output", "standard", 200_000, False, None, None, True)] == Decimal("4")
    assert ("cache_read", "standard", 272_000, False, None, None, True) not in got  # silence is not a price


# --- the figures on 2026-08 ------------------------------------------------------------

def _one(con, model: str, provider: str, usage: Usage):
    (route,) = route_costs(con, model, usage, provider)
    return route


def test_gemini_2_5_pro_at_google_prices_its_long_prompt_tier_and_batch(august):
    assert _one(august, "google/gemini-2.5-pro", "google", Usage(input_tokens=250_000, output_tokens=1_000)).usd \
        == Decimal("0.64")
    assert _one(august, "google/gemini-2.5-pro", "google", Usage(input_tokens=100_000, output_tokens=1_000)).usd \
        == Decimal("0.135")
    batch = _one(august, "google/gemini-2.5-pro", "google",
                 Usage(input_tokens=250_000, output_tokens=1_000, service_tier="batch"))
    assert batch.usd == Decimal("0.32") and batch.cost.tier.threshold_tokens == 200_000
    assert {line.source for line in batch.cost.breakdown} == {"litellm"}  # only LiteLLM states batch prices


def test_claude_sonnet_4_5_at_anthropic_prices_cache_reads_and_the_stated_long_prompt_tier(august):
    short = _one(august, "anthropic/claude-sonnet-4.5", "anthropic",
                 Usage(input_tokens=150_000, cache_read_tokens=100_000, output_tokens=1_000))
    assert short.usd == Decimal("0.195") and not short.notes
    long = _one(august, "anthropic/claude-sonnet-4.5", "anthropic",
                Usage(input_tokens=250_000, cache_read_tokens=100_000, output_tokens=1_000))
    assert long.usd == Decimal("0.9825")
    assert {(line.component, line.usd_per_mtok, line.source) for line in long.cost.breakdown} == {
        ("input", Decimal("6"), "genai_prices"), ("cache_read", Decimal("0.6"), "genai_prices"),
        ("output", Decimal("22.5"), "genai_prices")}
    assert long.notes == ["context window disagreement: a 250,000-token prompt fits the window genai_prices "
                          "1,000,000 states, not the one litellm 200,000, modelsdev 200,000 states"]


def test_a_prompt_above_every_stated_context_window_does_not_fit(august):
    route = _one(august, "anthropic/claude-sonnet-4.5", "anthropic", Usage(input_tokens=1_000_001, output_tokens=1))
    assert route.usd is None and route.cost.unknown_components[-1].startswith("context window: a 1,000,001-token")


# --- the pair table's profile costs are the engine's ------------------------------------------

BOUNDARY_PROFILES = [  # (name, requests, prompt, cached, output, tier): both sides of the tiers, cached, batch
    ("at-200k", 3, 200_000, 0, 1_000, "standard"), ("past-200k", 3, 200_001, 0, 1_000, "standard"),
    ("cached-past-200k", 2, 250_000, 100_000, 1_000, "standard"), ("at-272k", 1, 272_000, 0, 10, "standard"),
    ("past-272k", 1, 272_001, 136_000, 10, "standard"), ("batch-long", 5, 250_000, 0, 1_000, "batch"),
    ("batch-cached", 7, 10_000, 5_000, 100, "batch"), ("flex", 1, 1_000, 0, 100, "flex")]


def test_the_pair_tables_profile_costs_are_the_engines_on_every_route(august):
    from warehouse.comparisons import _write_profiles

    _write_profiles(august)
    august.executemany("INSERT INTO comparison_profiles VALUES (?, ?, false, 'test', ?, ?, ?, ?, ?)",
                       [[n, 100 + i, r, p, c, o, t] for i, (n, r, p, c, o, t) in enumerate(BOUNDARY_PROFILES)])
    write_route_profile_costs(august)
    sql = {(m, p, v, prof): usd for m, p, v, prof, usd in august.execute(
        "SELECT model_id, provider_id, variant, profile, usd FROM route_profile_costs").fetchall()}
    curated = {p.name: p for p in profiles().profiles}
    shapes = {**{n: p.usage for n, p in curated.items()},
              **{n: Usage(input_tokens=p, cache_read_tokens=c, output_tokens=o, service_tier=t, requests=r)
                 for n, r, p, c, o, t in BOUNDARY_PROFILES}}
    model_ids = sorted({m for m, *_ in sql})
    engine = {}
    for model, routes in routes_of(august, model_ids).items():
        for name, usage in shapes.items():
            _, _, costs = cheapest_for(routes, usage)
            for c in costs:
                engine[(model, c.facts.provider_id, c.facts.variant, name)] = c.usd
    assert engine == sql
    known = Counter(name for (_, _, _, name), usd in sql.items() if usd is not None)
    assert all(known[n] > 0 for n in shapes), known  # every profile prices some route
    assert len(sql) > 50_000


def test_each_models_profile_costs_in_the_pair_table_are_its_cheapest_route_by_the_engine(august):
    """comparison_models.profile_costs (what every pair reads) against the engine's own choice."""
    from warehouse.comparisons import _write_profiles

    _write_profiles(august)
    write_route_profile_costs(august)
    table = dict(august.execute("SELECT model_id, profile_costs FROM "
                                "comparison_model_summaries(100000000, 30000000, 0.75, NULL, NULL)").fetchall())
    routes = routes_of(august, list(table))
    engine = {}
    for model in table:
        sides = []
        for p in profiles().profiles:
            low, at, _ = cheapest_for(routes.get(model, []), p.usage)
            sides.append({"profile": p.name, "usd": low, "providers": sorted({c.facts.provider_id for c in at})})
        engine[model] = sides
    assert engine == table
    assert len(table) > 1_000 and sum(s["usd"] is None for v in table.values() for s in v) > 100  # unknowns too


# --- versus cost -------------------------------------------------------------------------------

def _versus(*args: str):
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    return subprocess.run([sys.executable, "-m", "flows.cli", "cost", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)


def test_versus_cost_prints_every_route_with_its_breakdown_as_json(august_file):
    proc = _versus("claude-sonnet-4-5", "--provider", "anthropic", "--input-tokens", "250000",
                   "--cache-read-tokens", "100000", "--output-tokens", "1000", "--format", "json", "--db", str(august_file))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model_id"] == "anthropic/claude-sonnet-4.5" and out["usage"]["input_tokens"] == 250_000
    (route,) = out["routes"]
    assert (route["provider_id"], route["usd"], route["unknown_components"]) == ("anthropic", "0.9825", [])
    assert route["tier"]["threshold_tokens"] == 200_000 and route["tier"]["threshold_inclusive"] is False
    assert [(b["component"], b["tokens"], b["usd"]) for b in route["breakdown"]] == [
        ("input", 150_000, "0.9"), ("cache_read", 100_000, "0.06"), ("output", 1_000, "0.0225")]
    assert "context window disagreement" in route["notes"][0]

    batch = json.loads(_versus("google/gemini-2.5-pro", "--input-tokens", "250000", "--output-tokens", "1000",
                               "--batch", "--format", "json", "--db", str(august_file)).stdout)
    by_provider = {r["provider_id"]: r for r in batch["routes"]}
    assert by_provider["google"]["usd"] == "0.32"
    assert len(batch["routes"]) > 5 and any(r["usd"] is None and "input (batch)" in r["unknown_components"]
                                            for r in batch["routes"])


def test_versus_cost_prices_a_month_of_a_profile_and_explains_bad_input(august_file):
    proc = _versus("google/gemini-2.5-pro", "--provider", "google", "--profile", "long-context", "--db", str(august_file))
    assert proc.returncode == 0, proc.stderr
    # 1,000 requests of 250,000 input tokens at $2.50/1M and 2,000 output at $15/1M
    assert "$655" in proc.stdout and "above 200,000 prompt tokens" in proc.stdout
    bad = _versus("google/gemini-2.5-pro", "--input-tokens", "10", "--output-tokens", "1", "--cache-read-tokens", "20",
                  "--db", str(august_file))
    assert bad.returncode == 2 and "cannot exceed" in bad.stderr
    assert "no profile 'nope'" in _versus("google/gemini-2.5-pro", "--profile", "nope", "--db", str(august_file)).stderr


def test_offering_prices_and_the_profiles_table_are_documented(con):
    for table in ("offering_prices", "comparison_profiles"):
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0]
        missing = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND comment IS NULL",
                              [table]).fetchall()
        assert not missing, (table, missing)
    assert not con.execute("SELECT column_name FROM duckdb_columns() WHERE comment IS NULL AND (column_name LIKE "
                           "'price\\_%' ESCAPE '\\' AND table_name = 'observations' OR column_name = 'profile_costs')"
                           ).fetchall()


def test_every_record_prices_every_profile_or_says_what_is_unknown(august):
    """Each record's profiles are its two models' sides, so every model having all five, each a cost
    or the components no route states, is every record having them."""
    from records.render import render
    from warehouse.costs import profile_sides
    from warehouse.records import pair_record

    names = [p.name for p in profiles().profiles]
    tracked = [m for m, in august.execute(
        "SELECT DISTINCT model_id FROM offerings WHERE active AND input_usd_per_mtok IS NOT NULL").fetchall()]
    routes = routes_of(august, tracked)
    priced = Counter()
    for model in tracked:
        sides = profile_sides(routes.get(model, []))
        assert [p.name for p, _ in sides] == names
        assert all((s.usd is None) == bool(s.unknown) for _, s in sides), model
        priced[sum(s.usd is not None for _, s in sides)] += 1
    assert sum(n for k, n in priced.items() if k >= 3) > 500, priced

    record = pair_record(august, "google/gemini-2.5-pro", "anthropic/claude-sonnet-4.5")
    assert [p.name for p in record.profiles] == names and len(names) >= 3
    chat = record.profiles[0]
    assert chat.a.usd == record.side_a.monthly.usd and chat.b.usd == record.side_b.monthly.usd  # the headline's
    batch = {p.name: p for p in record.profiles}["batch"]
    assert "google" in batch.a.providers and batch.a.usd == Decimal("212.5")  # 100M x 0.625 + 30M x 5, per million
    page = json.loads(render(record, "json"))
    assert Decimal(page["profiles"][4]["a"]["usd"]) == Decimal("212.5") and page["profiles"][4]["name"] == "batch"
    assert "| long-context |" in render(record, "md")


def test_a_retired_route_is_never_priced(con):
    """LiteLLM states Azure's Mistral Large 2407 retired on 2025-05-13 (2026-08 snapshot)."""
    from tests.test_dates_and_retirement import AZURE_LARGE, LABEL, SNAPSHOT_DAY, anchor
    from tests.test_reconcile import LITELLM_URL, land
    from warehouse.comparisons import _write_profiles
    from warehouse.reconcile import reconcile

    anchor(con)
    land(con, "litellm", LITELLM_URL, AUG, AZURE_LARGE, as_of=LABEL, data_date=SNAPSHOT_DAY)
    reconcile(con, 1, AUG)
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE preferred) FROM offering_prices "
                       "WHERE route = 'azure_ai/mistral-large-2407'").fetchone() == (2, 0)
    assert route_costs(con, "mistralai/mistral-large-2407", Usage(input_tokens=1_000, output_tokens=10), "azure") == []
    _write_profiles(con)
    write_route_profile_costs(con)
    assert not con.execute("SELECT * FROM route_profile_costs WHERE provider_id = 'azure'").fetchall()
    # OpenRouter's live route is priced (its input price only: the output part is unknown; this
    # hand-built warehouse states no context window either)
    (live,) = route_costs(con, "mistralai/mistral-large-2407", Usage(input_tokens=1_000, output_tokens=10))
    assert live.facts.provider_id == "openrouter" and live.cost.unknown_components[0] == "output"
    assert live.cost.unknown_components[1:] == [
        ("context window unknown: no source states this route's or the model's, so whether a 1,000-token prompt "
         "fits is unknown")]
