"""Undated ids, their dated snapshots and moving aliases (pipeline/identity/families.py): each
evidence rule on its own, then every family of the 2026-08 snapshot with the evidence that merged
or split it."""
import json

import pytest

from pipeline.identity import families
from pipeline.identity.families import Family
from pipeline.identity.resolver import Identity, Model, Resolution, SourceId


@pytest.mark.parametrize("model_id, expected", [
    ("openai/gpt-4o-mini-2024-07-18", ("openai/gpt-4o-mini", "2024-07-18")),
    ("anthropic/claude-3-sonnet-20240229", ("anthropic/claude-3-sonnet", "20240229")),
    ("deepseek/deepseek-r1-0528", ("deepseek/deepseek-r1", "0528")),      # -MMDD
    ("mistralai/mistral-large-2407", ("mistralai/mistral-large", "2407")),  # -YYMM
    ("meta-llama/llama-3.1-8b", None), ("openai/gpt-5.5", None), ("qwen/qwen3-235b-a22b", None),
    ("openai/gpt-4-1344", None)])                                          # no month 13
def test_date_suffixes(model_id, expected):
    assert families.dated(model_id) == expected


def decide(models, facts=None, curated=frozenset()):
    return {f.undated: f for f in families.families(models, facts or {}, curated)}


def test_two_snapshots_make_the_undated_id_a_moving_alias():
    found = decide({"openai/gpt-4o": 1, "openai/gpt-4o-2024-05-13": 1, "openai/gpt-4o-2024-08-06": 1})
    assert found["openai/gpt-4o"].decision == "alias"
    assert found["openai/gpt-4o"].snapshots == ("openai/gpt-4o-2024-05-13", "openai/gpt-4o-2024-08-06")


def test_a_dated_name_a_price_entry_lists_counts_as_a_snapshot():
    """genai-prices' Mistral Large entry matches mistral-large-2407 and -2411 (2026-08 feed)."""
    facts = {"mistralai/mistral-large": {"listed_names": {"mistral-large", "mistral-large-latest",
                                                          "mistral-large-2407", "mistral-large-2411"}}}
    found = decide({"mistralai/mistral-large": 5, "mistralai/mistral-large-2407": 1}, facts)
    assert found["mistralai/mistral-large"].decision == "alias"
    assert found["mistralai/mistral-large"].snapshots == ("mistralai/mistral-large-2407", "mistralai/mistral-large-2411")


def test_the_only_snapshot_with_no_stated_difference_is_the_same_model_under_the_stronger_id():
    found = decide({"openai/gpt-4o-mini": 1, "openai/gpt-4o-mini-2024-07-18": 5},
                   {"openai/gpt-4o-mini": {"context_window": {"128000"}},
                    "openai/gpt-4o-mini-2024-07-18": {"context_window": {"131072"}}})  # both "128K"
    assert (found["openai/gpt-4o-mini"].decision, found["openai/gpt-4o-mini"].kept) == ("merged", "openai/gpt-4o-mini")
    stronger_snapshot = decide({"mistralai/mistral-large": 5, "mistralai/mistral-large-2407": 1})
    assert stronger_snapshot["mistralai/mistral-large"].kept == "mistralai/mistral-large-2407"
    curated = decide({"qwen/qwen-max": 1, "qwen/qwen-max-2025-01-25": 1}, curated=frozenset({"qwen/qwen-max-2025-01-25"}))
    assert curated["qwen/qwen-max"].kept == "qwen/qwen-max-2025-01-25"


@pytest.mark.parametrize("undated, snapshot, field", [
    ({"release_date": {"2025-07-14"}}, {"release_date": {"2025-09-05"}}, "release_date"),   # Kimi K2 and -0905
    ({"context_window": {"131072"}}, {"context_window": {"262144"}}, "context_window"),
    ({"repo": {"deepseek-ai/deepseek-r1"}}, {"repo": {"deepseek-ai/deepseek-r1-0528"}}, "repo"),
    ({"name": {"Ministral 8B 24.10"}}, {}, "name")])
def test_a_stated_model_fact_keeps_two_models(undated, snapshot, field):
    found = decide({"x/m": 1, "x/m-0905": 1}, {"x/m": undated, "x/m-0905": snapshot})
    assert found["x/m"].decision == "split" and found["x/m"].evidence.startswith(field)


def test_a_route_fact_never_splits_a_model():
    """model_facts reads a card, a catalogue entry or the vendor's own listing, not a reseller's."""
    ids = [SourceId("litellm", "azure", "azure/gpt-4o-mini-2024-07-18"), SourceId("modelsdev", "openai", "gpt-4o-mini")]
    identity = Identity({"openai/gpt-4o-mini": Model("openai/gpt-4o-mini", "openai"),
                         "openai/gpt-4o-mini-2024-07-18": Model("openai/gpt-4o-mini-2024-07-18", "openai")},
                        [Resolution(ids[0], "openai/gpt-4o-mini-2024-07-18", "rule", "exact", None),
                         Resolution(ids[1], "openai/gpt-4o-mini", "rule", "exact", None)])
    facts = families.model_facts(identity, [(ids[0], "context_window", "8192"), (ids[1], "context_window", "128000")])
    assert dict(facts["openai/gpt-4o-mini"]) == {"context_window": {"128000"}}
    assert "openai/gpt-4o-mini-2024-07-18" not in facts


def test_a_latest_name_is_a_moving_alias_of_its_family():
    found = families.families({"mistralai/ministral-3b": 1, "mistralai/ministral-3b-2512": 1,
                               "mistralai/ministral-3b-latest": 3}, {})
    latest = next(f for f in found if f.undated == "mistralai/ministral-3b-latest")
    assert (latest.decision, latest.snapshots) == ("alias", ("mistralai/ministral-3b",))


def test_a_bare_size_name_is_the_instruct_model_unless_a_base_model_is_stated():
    found = decide({"meta-llama/llama-3.1-8b": 5, "meta-llama/llama-3.1-8b-instruct": 1})
    assert (found["meta-llama/llama-3.1-8b"].decision, found["meta-llama/llama-3.1-8b"].kept) == (
        "merged", "meta-llama/llama-3.1-8b-instruct")
    base = decide({"qwen/qwen2.5-coder-14b": 5, "qwen/qwen2.5-coder-14b-instruct": 1},
                  {"qwen/qwen2.5-coder-14b": {"catalogued_weights": {"qwen2p5-coder-14b"}}})  # Fireworks' catalogue
    assert base["qwen/qwen2.5-coder-14b"].decision == "split"


def test_a_moving_alias_a_source_links_to_a_repo_resolves_to_the_model_it_names():
    """models.dev's catalogue links deepseek/deepseek-chat to deepseek-ai/DeepSeek-V3.2 (2026-08)."""
    models = {"deepseek/deepseek-chat": 1, "deepseek/deepseek-v3.2": 1}
    found = families.alias_targets(models, {"deepseek/deepseek-chat": {"repo": {"deepseek-ai/deepseek-v3.2"}}},
                                   {"deepseek-chat"})
    assert [(f.undated, f.kept, f.relation) for f in found] == [
        ("deepseek/deepseek-chat", "deepseek/deepseek-v3.2", "alias_target")]
    assert families.alias_targets(models, {"deepseek/deepseek-chat": {"repo": {"deepseek-ai/deepseek-v3.2"}}}, set()) == []


def test_apply_moves_every_name_and_settles_an_ambiguity_between_the_two():
    a, b = SourceId("litellm", "azure", "azure/o3-2025-04-16"), SourceId("x", None, "o3-ish")
    identity = Identity({"openai/o3": Model("openai/o3", "openai"),
                         "openai/o3-2025-04-16": Model("openai/o3-2025-04-16", "openai")},
                        [Resolution(a, "openai/o3-2025-04-16", "rule", "exact", None, names_model=True),
                         Resolution(b, None, "ambiguous", "exact", None, ("openai/o3", "openai/o3-2025-04-16"))])
    merged = families.apply(identity, [Family("openai/o3", ("openai/o3-2025-04-16",), "merged", "", "openai/o3")])
    assert set(merged.models) == {"openai/o3"}
    assert [(r.model_id, r.method, r.names_model) for r in merged.resolutions] == [
        ("openai/o3", "rule", False), ("openai/o3", "rule", False)]


@pytest.mark.parametrize("source_id, model_id, names_model, kind", [
    ("mistral-large-latest", "mistralai/mistral-large", False, "moving_alias"),
    ("openai/gpt-4o", "openai/gpt-4o", True, "moving_alias"),           # an alias family's own name
    ("azure/us/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini", False, "snapshot"),
    ("openai/gpt-4o-mini", "openai/gpt-4o-mini", True, "vendor_id"),
    ("cerebras/llama3.1-8b", "meta-llama/llama-3.1-8b-instruct", False, "reseller"),
    ("nothing", None, False, None)])
def test_alias_kinds(source_id, model_id, names_model, kind):
    assert families.alias_kind(source_id, model_id, names_model, {"openai/gpt-4o"}) == kind


# --- every family of 2026-08 ---

@pytest.fixture(scope="module")
def august_families(august):
    rows = august.execute("SELECT undated_model_id, snapshots, decision, evidence, relation, kept_model_id "
                          "FROM model_families").fetchall()
    models = {r[0]: r[1] for r in august.execute("SELECT model_id, alias_candidates FROM models").fetchall()}
    return {r[0]: r for r in rows}, models


def test_2026_08_every_family_follows_the_rules(august_families):
    found, models = august_families
    assert {d for _, _, d, *_ in found.values()} == {"merged", "split", "alias"}
    for undated, snapshots, decision, evidence, relation, kept in found.values():
        assert evidence, undated
        if decision == "merged":
            assert len(snapshots) == 1 and kept in models
            assert not {undated, *snapshots} - {kept} & set(models), f"{undated}: merged yet still two models"
        elif decision == "split":
            assert undated in models and snapshots[0] in models and len(snapshots) == 1
        else:
            assert (len(snapshots) >= 2 or undated.endswith("-latest")) and models[undated] == snapshots
    for model_id in models:  # no model keeps a dated twin the rules call the same model
        if (twin := families.dated(model_id)) and twin[0] in models:
            assert found[twin[0]][2] in ("split", "alias"), model_id


@pytest.mark.parametrize("undated, decision, kept_or_evidence", [
    ("openai/gpt-4o-mini", "merged", "openai/gpt-4o-mini"),
    ("openai/o3", "merged", "openai/o3"),
    ("openai/gpt-4o", "alias", None),
    ("mistralai/mistral-large", "alias", None),
    ("moonshotai/kimi-k2", "split", "release_date: 2025-07-14 vs 2025-09-05"),
    ("deepseek/deepseek-r1", "split", "repo: deepseek-ai/deepseek-r1 vs deepseek-ai/deepseek-r1-0528"),
    ("deepseek/deepseek-chat", "merged", "deepseek/deepseek-v3.2")])
def test_2026_08_named_families(august_families, undated, decision, kept_or_evidence):
    found, models = august_families
    row = found[undated]
    assert row[2] == decision
    if decision == "merged":
        assert row[5] == kept_or_evidence
    elif decision == "split":
        assert kept_or_evidence in row[3]
    else:
        assert len(models[undated]) >= 2


def test_2026_08_alias_kinds_and_the_snapshots_route(august):
    kinds = dict(august.execute("SELECT alias_kind, count(*) FROM model_aliases GROUP BY ALL").fetchall())
    assert {"vendor_id", "snapshot", "moving_alias", "reseller"} <= set(kinds)
    assert august.execute("""SELECT model_id, alias_kind FROM model_aliases
                             WHERE source = 'litellm' AND source_id = 'azure/us/gpt-4o-mini-2024-07-18'""").fetchall() \
        == [("openai/gpt-4o-mini", "snapshot")]


def test_2026_08_one_model_under_two_ids_and_a_variant_that_must_match(august):
    """'Routes are routes' (issue 17): OpenRouter's deepseek/deepseek-chat-v3.1 is the model it names
    "DeepSeek V3.1"; iFlow's qwen3-235b, which iFlow names "Qwen3-235B-A22B", is the hybrid model,
    not Instruct-2507 (Vercel's qwen-3-235b, named "Qwen3 235B A22B Instruct 2507", is)."""
    def model_of(source, provider, source_id):
        return august.execute("SELECT model_id FROM model_aliases WHERE source = ? AND provider_id = ? AND source_id = ?",
                              [source, provider, source_id]).fetchall()
    assert model_of("openrouter", "openrouter", "deepseek/deepseek-chat-v3.1") == [("deepseek/deepseek-v3.1",)]
    assert august.execute("SELECT count(*) FROM models WHERE model_id = 'deepseek/deepseek-chat-v3.1'").fetchone() == (0,)
    assert model_of("modelsdev", "iflowcn", "qwen3-235b") == [("qwen/qwen3-235b-a22b",)]
    assert model_of("modelsdev", "vercel", "alibaba/qwen-3-235b") == [("qwen/qwen3-235b-a22b-instruct-2507",)]


def test_2026_08_a_serving_apis_bare_size_name_is_the_instruct_model_beside_a_base_one(august, shared_snapshots):
    """Fireworks' weights library lists Mixtral 8x7B's base weights ('accounts/fireworks/models/mixtral-8x7b'),
    so the base is a model of its own; the serving APIs' bare 'mixtral-8x7b' is the instruct model:
    genai-prices' Mistral entry matches 'open-mixtral-8x7b' (Mistral's API name of the instruct model),
    Snowflake Cortex's is a chat endpoint. An inference host's repo id ('google/gemma-7b' at Together)
    stays the base."""
    def model_of(source, provider, source_id):
        return august.execute("SELECT model_id FROM model_aliases WHERE source = ? AND provider_id = ? AND source_id = ?",
                              [source, provider, source_id]).fetchall()
    (path,) = (shared_snapshots / "2026-08" / "genai-prices").iterdir()
    mistral = next(p for p in json.loads(path.read_text()) if p["id"] == "mistral")
    entry = next(m for m in mistral["models"] if m["id"] == "mixtral-8x7b")
    assert {"equals": "open-mixtral-8x7b"} in entry["match"]["or"]
    assert model_of("genai_prices", "mistral", "mixtral-8x7b") == [("mistralai/mixtral-8x7b-instruct",)]
    assert model_of("litellm", "snowflake", "snowflake/mixtral-8x7b") == [("mistralai/mixtral-8x7b-instruct",)]
    assert model_of("litellm", "fireworks_ai", "fireworks_ai/accounts/fireworks/models/mixtral-8x7b") == [
        ("mistralai/mixtral-8x7b",)]
    assert model_of("genai_prices", "together", "google/gemma-7b") == [("google/gemma-7b",)]
