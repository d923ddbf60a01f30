"""Model identity: parsing source ids, matching keys, resolving to canonical models.

Every id here is a real id from the recorded snapshots (2026-01, 2026-08), with its source and
provider as they state it.
"""
import pytest

from pipeline import curated
from pipeline.identity import families
from pipeline.identity import (AliasEntry, AliasFile, ProviderFile, SourceId, alias_file, key, parse,
                               provider_file, provider_for, resolve_ids)

LITELLM_PREFIXES = frozenset({"azure-ai", "azure", "bedrock", "vertex-ai", "fireworks-ai", "mistral", "deepinfra",
                              "together-ai", "nvidia-nim", "perplexity"})


@pytest.mark.parametrize("source_id, prefixes, slug, vendor, variant", [
    # route prefixes and vendor folders
    ("azure_ai/mistral-large-2407", LITELLM_PREFIXES, "mistral-large-2407", None, None),
    ("mistral/mistral-small-2603", LITELLM_PREFIXES, "mistral-small-2603", None, None),
    ("mistralai/mistral-small-4-119b-2603", frozenset(), "mistral-small-4-119b-2603", "mistralai", None),
    ("deepinfra/deepseek-ai/DeepSeek-V3.2", LITELLM_PREFIXES, "deepseek-v3.2", "deepseek", None),
    ("fireworks_ai/accounts/fireworks/models/qwen2-7b-instruct", LITELLM_PREFIXES, "qwen2-7b-instruct", None, None),
    ("perplexity/perplexity/deepseek-v4-flash-0731", LITELLM_PREFIXES, "deepseek-v4-flash-0731", None, None),
    ("workers-ai/@cf/meta/llama-3.1-8b-instruct-fp8", frozenset(), "llama-3.1-8b-instruct", "meta-llama", "workers-ai+@cf+fp8"),
    ("qwen/qwenLM/models/Qwen3-30B-A3B-Instruct-2507", frozenset(), "qwen3-30b-a3b-instruct-2507", "qwen", None),
    # Bedrock: regional prefixes, 'vendor.' prefix, API version
    ("us.anthropic.claude-3-5-haiku-20241022-v1:0", frozenset(), "claude-3-5-haiku-20241022", "anthropic", "us"),
    ("mistral.mistral-large-2407-v1:0", frozenset(), "mistral-large-2407", "mistralai", None),
    ("bedrock/us-east-1/mistral.mistral-7b-instruct-v0:2", LITELLM_PREFIXES, "mistral-7b-instruct-v0.2", "mistralai", "us-east-1"),
    ("regional.anthropic.claude-3-haiku-20240307-v1:0", frozenset(), "claude-3-haiku-20240307", "anthropic", "regional"),
    ("deepseek.r1-v1:0", frozenset(), "deepseek-r1", "deepseek", None),
    ("amazon.titan-embed-text-v2:0", frozenset(), "titan-embed-text-v2", "amazon", None),
    # variants: OpenRouter tags, fine-tunes, weight formats
    ("google/gemma-4-31b-it:free", frozenset(), "gemma-4-31b-it", "google", "free"),
    ("qwen/qwen-plus-2025-07-28:thinking", frozenset(), "qwen-plus-2025-07-28", "qwen", "thinking"),
    ("ft:gpt-4.1-mini-2025-04-14", frozenset(), "gpt-4.1-mini-2025-04-14", None, "ft"),
    ("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", frozenset(), "llama-4-maverick-17b-128e-instruct", "meta-llama", "fp8"),
    ("nvidia/DeepSeek-V3.2-NVFP4", frozenset(), "deepseek-v3.2", None, "nvfp4"),  # nvidia quantized it
    # Vertex: '@' version suffixes, '-maas'
    ("vertex_ai/mistral-large@2407", LITELLM_PREFIXES, "mistral-large-2407", None, None),
    ("vertex_ai/claude-haiku-4-5@20251001", LITELLM_PREFIXES, "claude-haiku-4-5-20251001", None, None),
    ("vertex_ai/qwen/qwen3-coder-480b-a35b-instruct-maas", LITELLM_PREFIXES, "qwen3-coder-480b-a35b-instruct", "qwen", "maas"),
    # names as pricing pages and resellers write them
    ("Llama 4 Scout (17Bx16E)", frozenset(), "llama-4-scout-17bx16e", None, None),
    ("anthropic--claude-4.6-sonnet", frozenset(), "anthropic-claude-4.6-sonnet", None, None),
])
def test_parse(source_id, prefixes, slug, vendor, variant):
    p = parse(source_id, prefixes)
    assert (p.slug, p.vendor, p.variant) == (slug, vendor, variant)


@pytest.mark.parametrize("a, b", [
    ("mistral-large-2407", "mistral-large-24-07"),      # date suffix spellings
    ("claude-3-5-sonnet", "claude-3.5-sonnet"),         # version separators
    ("gpt-35-turbo", "gpt-3.5-turbo"),                  # Azure's spelling
    ("llama3.1-70b", "llama-3.1-70b"),                  # Cerebras, Snowflake
    ("qwen2p5-coder-32b-instruct", "qwen2.5-coder-32b-instruct"),  # Fireworks
    ("deepseek-v3p2", "deepseek-v3.2"),
    ("Mistral-Small-4-119B-2603", "mistral-small-4-119b-2603"),
])
def test_key_makes_spellings_equal(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize("a, b", [
    ("mistral-large-2407", "mistral-large-2411"),
    ("gpt-4o", "gpt-4o-mini"),
    ("llama-3.1-8b-instruct", "llama-3.1-8b"),
])
def test_key_keeps_models_apart(a, b):
    assert key(a) != key(b)


MISTRAL_SMALL_4 = [
    SourceId("openrouter", "openrouter", "mistralai/mistral-small-2603"),
    SourceId("modelsdev", None, "mistral/mistral-small-2603"),
    SourceId("modelsdev", "mistral", "mistral-small-2603"),
    SourceId("modelsdev", "nvidia", "mistralai/mistral-small-4-119b-2603"),
    SourceId("modelsdev", "venice", "mistral-small-2603"),
    SourceId("litellm", "mistral", "mistral/mistral-small-2603"),
    SourceId("genai_prices", "mistral", "mistral-small-2603"),
]
HF_LINKS = [(SourceId("openrouter", "openrouter", "mistralai/mistral-small-2603"), "mistralai/Mistral-Small-4-119B-2603")]


def _by_id(identity):
    return {(r.id.source, r.id.provider_id, r.id.source_id): r for r in identity.resolutions}


def test_mistral_small_4_is_one_model():
    result = _by_id(resolve_ids(MISTRAL_SMALL_4, HF_LINKS))
    assert {r.model_id for r in result.values()} == {"mistralai/mistral-small-2603"}
    nvidia = result["modelsdev", "nvidia", "mistralai/mistral-small-4-119b-2603"]
    assert (nvidia.method, nvidia.rule) == ("link", "hugging_face_id")
    assert result["litellm", "mistral", "mistral/mistral-small-2603"].method == "rule"


def test_without_the_link_the_nvidia_name_is_a_model_of_its_own():
    identity = resolve_ids(MISTRAL_SMALL_4, [])
    assert _by_id(identity)["modelsdev", "nvidia", "mistralai/mistral-small-4-119b-2603"].model_id \
        == "mistralai/mistral-small-4-119b-2603"


@pytest.mark.parametrize("source_id, provider, expected, rule, variant", [
    ("azure_ai/mistral-large-2407", "azure_ai", "mistralai/mistral-large-2407", "exact", None),
    ("mistral.mistral-large-2407-v1:0", "bedrock", "mistralai/mistral-large-2407", "exact", None),
    ("vertex_ai/mistral-large@2407", "vertex_ai-mistral_models", "mistralai/mistral-large-2407", "exact", None),
    ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock_converse", "anthropic/claude-haiku-4.5", "undated", "us"),
    ("azure/gpt-35-turbo", "azure", "openai/gpt-3.5-turbo", "exact", None),
    ("fireworks_ai/accounts/fireworks/models/qwen2p5-coder-32b-instruct", "fireworks_ai",
     "qwen/qwen-2.5-coder-32b-instruct", "exact", None),
    ("databricks/databricks-claude-haiku-4-5", "databricks", "anthropic/claude-haiku-4.5", "vendor_prefix", "databricks"),
    ("minimax/MiniMax-M2.5-lightning", "minimax", "minimax/minimax-m2.5", "loose_suffix", "lightning"),
    ("cerebras/llama-3.3-70b", "cerebras", "meta-llama/llama-3.3-70b-instruct", "loose_suffix", None),
    ("fireworks_ai/accounts/fireworks/models/qwen2p5-coder-32b-instruct-128k", "fireworks_ai",
     "qwen/qwen-2.5-coder-32b-instruct", "loose_suffix", "128k"),
    ("replicate/anthropic/claude-4.5-haiku", "replicate", "anthropic/claude-haiku-4.5", "rewrite", None),
])
def test_litellm_ids_resolve_by_rule(source_id, provider, expected, rule, variant):
    anchors = [SourceId("openrouter", "openrouter", m) for m in (
        "mistralai/mistral-large-2407", "anthropic/claude-haiku-4.5", "openai/gpt-3.5-turbo",
        "qwen/qwen-2.5-coder-32b-instruct", "minimax/minimax-m2.5", "meta-llama/llama-3.3-70b-instruct")]
    sid = SourceId("litellm", provider, source_id)
    r = _by_id(resolve_ids([*anchors, sid], []))["litellm", provider, source_id]
    assert (r.model_id, r.method, r.rule, r.variant) == (expected, "rule", rule, variant)


def test_variant_routes_resolve_to_the_model_and_keep_their_variant():
    ids = [SourceId("openrouter", "openrouter", "openai/gpt-oss-120b"),
           SourceId("openrouter", "openrouter", "openai/gpt-oss-120b:free")]
    result = _by_id(resolve_ids(ids, []))
    free = result["openrouter", "openrouter", "openai/gpt-oss-120b:free"]
    assert (free.model_id, free.variant) == ("openai/gpt-oss-120b", "free")


def test_an_id_matching_two_models_is_ambiguous_not_picked():
    # OpenRouter links 'deepseek-chat' to the DeepSeek-V3.2 weights and also lists 'deepseek-v3.2'.
    ids = [SourceId("openrouter", "openrouter", "deepseek/deepseek-chat"),
           SourceId("openrouter", "openrouter", "deepseek/deepseek-v3.2"),
           SourceId("modelsdev", "siliconflow", "deepseek-ai/DeepSeek-V3.2")]
    links = [(ids[0], "deepseek-ai/DeepSeek-V3.2")]
    r = _by_id(resolve_ids(ids, links, aliases=[]))["modelsdev", "siliconflow", "deepseek-ai/DeepSeek-V3.2"]
    assert (r.model_id, r.method) == (None, "ambiguous")
    assert r.candidates == ("deepseek/deepseek-chat", "deepseek/deepseek-v3.2")
    # the alias file settles it
    settled = _by_id(resolve_ids(ids, links))["modelsdev", "siliconflow", "deepseek-ai/DeepSeek-V3.2"]
    assert (settled.model_id, settled.method) == ("deepseek/deepseek-v3.2", "alias_file")


def test_unresolved_ids_are_listed_not_dropped():
    ids = [SourceId("openrouter", "openrouter", "mistralai/mistral-small-2603"),
           SourceId("modelsdev", "nano-gpt", "Qwen3.5-27B-BlueStar-Derestricted"),  # a community fine-tune
           SourceId("openrouter", "openrouter", "openrouter/auto")]                  # a router
    result = _by_id(resolve_ids(ids, []))
    assert len(result) == 3
    assert result["modelsdev", "nano-gpt", "Qwen3.5-27B-BlueStar-Derestricted"].method == "unresolved"
    assert result["openrouter", "openrouter", "openrouter/auto"].rule == "not_a_model"


def test_a_vendor_platform_does_not_claim_another_vendors_model():
    # Mistral's API serves GLM: 'mistral/zai-glm-5-2' is Z.AI's GLM-5.2, not a Mistral model.
    ids = [SourceId("openrouter", "openrouter", "z-ai/glm-5.2"), SourceId("litellm", "mistral", "mistral/zai-glm-5-2")]
    identity = resolve_ids(ids, [])
    assert set(identity.models) == {"z-ai/glm-5.2"}
    assert _by_id(identity)["litellm", "mistral", "mistral/zai-glm-5-2"].model_id == "z-ai/glm-5.2"


def test_a_vendor_platform_founds_its_own_models():
    identity = resolve_ids([SourceId("litellm", "anthropic", "claude-mythos-5-1")], [])
    assert set(identity.models) == {"anthropic/claude-mythos-5-1"}


def test_a_bare_name_founds_a_model_when_two_providers_use_it():
    one = [SourceId("modelsdev", "nano-gpt", "ernie-5.1-cheaper")]  # a reseller's word: not Baidu's name
    assert resolve_ids(one, []).models == {}
    two = one + [SourceId("litellm", "aihubmix", "aihubmix/ernie-5.1-cheaper")]
    assert set(resolve_ids(two, []).models) == {"baidu/ernie-5.1-cheaper"}


def test_a_name_in_its_vendors_own_words_founds_a_model_at_one_provider():
    # 'ernie-x1-turbo-32k' is made of Baidu's naming words only: Baidu's model, at one reseller
    assert set(resolve_ids([SourceId("modelsdev", "nano-gpt", "ernie-x1-turbo-32k")], []).models) == {"baidu/ernie-x1-turbo-32k"}
    for name in ("deepseek-r1-671b",               # a size: a short spelling of DeepSeek R1, not a model of its own
                 "hermes-medium",                  # a serving word last
                 "qwen3.5-27b-writer-derestricted"):  # a community fine-tune
        assert resolve_ids([SourceId("modelsdev", "nano-gpt", name)], []).models == {}, name
    # a dated spelling of a model founded already is its snapshot, listed by one reseller: one model
    # with it once the family rules apply (pipeline/identity/families.py), never an unresolved id
    ids = [SourceId("openrouter", "openrouter", "z-ai/glm-4-air"), SourceId("modelsdev", "nano-gpt", "glm-4-air-0111")]
    identity = resolve_ids(ids, [])
    identity = families.apply(identity, families.families({m.model_id: m.tier for m in identity.models.values()}, {}))
    assert set(identity.models) == {"z-ai/glm-4-air"}
    assert _by_id(identity)["modelsdev", "nano-gpt", "glm-4-air-0111"].model_id == "z-ai/glm-4-air"


def test_a_catalogue_of_weights_founds_sized_models_by_their_repo_names():
    fw = "fireworks_ai/accounts/fireworks/models/"
    ids = [SourceId("litellm", "fireworks_ai", fw + name) for name in
           ("qwen2p5-coder-14b", "qwen2p5-coder-14b-instruct", "qwen3-coder-480b-instruct-bf16", "starcoder2-15b-python")]
    ids.append(SourceId("openrouter", "openrouter", "qwen/qwen3-coder-480b-a35b-instruct"))
    identity = resolve_ids(ids, [])
    # Fireworks writes '2.5' as '2p5'; base and instruct are two repos, two models
    assert set(identity.models) == {"qwen/qwen2.5-coder-14b", "qwen/qwen2.5-coder-14b-instruct",
                                    "qwen/qwen3-coder-480b-a35b-instruct"}
    by_id = _by_id(identity)
    # a short spelling of a model that exists founds no second one; a word after the size is not a release name
    assert by_id["litellm", "fireworks_ai", fw + "qwen3-coder-480b-instruct-bf16"].method == "unresolved"
    assert by_id["litellm", "fireworks_ai", fw + "starcoder2-15b-python"].method == "unresolved"
    # the same names outside a catalogue of weights found nothing
    assert resolve_ids([SourceId("litellm", "llamagate", "llamagate/qwen2p5-coder-14b")], []).models == {}


def test_a_resellers_only_model_is_its_vendors():
    """LMArena's yi-34b-chat and internlm2_5-20b-chat name models that only a weights library lists on
    2026-08 (LiteLLM's Fireworks 'accounts/fireworks/models/yi-34b-chat', 'ollama/internlm2_5-20b-chat'):
    each is its vendor's model (01.AI, whose ids OpenRouter writes '01-ai/' and Together 'zero-one-ai/';
    InternLM), not an unresolved id."""
    ids = [SourceId("litellm", "fireworks_ai", "fireworks_ai/accounts/fireworks/models/yi-34b-chat"),
           SourceId("litellm", "ollama", "ollama/internlm2_5-20b-chat"),
           SourceId("genai_prices", "together", "zero-one-ai/Yi-34B")]
    identity = resolve_ids(ids, [])
    assert set(identity.models) == {"01-ai/yi-34b-chat", "internlm/internlm2_5-20b-chat", "01-ai/yi-34b"}
    # a host outside a weights library founds nothing from one sized name
    assert resolve_ids([SourceId("litellm", "llamagate", "llamagate/internlm2_5-20b-chat")], []).models == {}


def test_alias_file_resolves_what_rules_do_not():
    ids = [SourceId("openrouter", "openrouter", "mistralai/mistral-medium-3.1"),
           SourceId("modelsdev", None, "mistral/mistral-medium-2508"),
           SourceId("litellm", "mistral", "mistral/mistral-medium-2508")]
    aliases = [AliasEntry(name="mistral-medium-2508", model_id="mistralai/mistral-medium-3.1")]
    result = _by_id(resolve_ids(ids, [], aliases=aliases))
    assert set(resolve_ids(ids, [], aliases=aliases).models) == {"mistralai/mistral-medium-3.1"}
    assert {r.method for k, r in result.items() if "2508" in k[2]} == {"alias_file"}
    without = resolve_ids(ids, [], aliases=[])
    assert "mistralai/mistral-medium-2508" in without.models


def test_a_model_founded_again_keeps_its_earlier_id():
    ids = [SourceId("litellm", "bedrock", "meta.llama3-1-8b-instruct-v1:0"),
           SourceId("modelsdev", "deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct")]
    fresh = resolve_ids(ids, [])
    assert set(fresh.models) == {"meta-llama/meta-llama-3.1-8b-instruct"}
    kept = resolve_ids(ids, [], previous={"meta-llama/llama3-1-8b-instruct"})
    assert set(kept.models) == {"meta-llama/llama3-1-8b-instruct"}
    assert {r.model_id for r in kept.resolutions} == {"meta-llama/llama3-1-8b-instruct"}
    # an OpenRouter id always wins over an earlier id
    listed = resolve_ids([*ids, SourceId("openrouter", "openrouter", "meta-llama/llama-3.1-8b-instruct")], [],
                         previous={"meta-llama/llama3-1-8b-instruct"})
    assert set(listed.models) == {"meta-llama/llama-3.1-8b-instruct"}


def test_the_alias_file_matches_its_schema():
    data = alias_file()
    assert "mistralai" in data.vendors and data.families["claude"] == "anthropic"


def test_a_typo_in_a_curated_file_names_file_line_and_entry():
    text = "vendors: {a: []}\nfamilies: {}\nroute_segments: []\nroute_words: []\nundated_aliases: []\n" \
           "not_models: []\naliases:\n  - {name: x-1, model_id: a/x-1}\n  - {nmae: x-2, model_id: a/x-2}\n"
    with pytest.raises(curated.CuratedFileError) as err:
        curated.load_text(text, "pipeline/aliases.yaml", AliasFile)
    assert "pipeline/aliases.yaml:9: aliases[1].nmae: Extra inputs are not permitted" in str(err.value)


def test_a_source_provider_mapped_twice_is_rejected():
    text = ("providers:\n- {provider_id: azure, kind: cloud, name: Azure, sources: {litellm: [azure_ai]}}\n"
            "- {provider_id: azure-ai, kind: cloud, name: Azure AI, sources: {litellm: [azure_ai]}}\n")
    with pytest.raises(curated.CuratedFileError, match="litellm provider 'azure_ai' maps to both 'azure' and 'azure-ai'"):
        curated.load_text(text, "pipeline/providers.yaml", ProviderFile)


def test_every_provider_has_a_kind_and_a_typo_or_a_missing_one_names_file_and_line():
    kinds = {e.provider_id: e.kind for e in provider_file().providers}
    assert kinds["openrouter"] == kinds["kilo"] == kinds["requesty"] == kinds["vercel"] == "aggregator"
    assert kinds["amazon-bedrock"] == kinds["azure"] == kinds["google-vertex"] == "cloud"
    assert kinds["togetherai"] == kinds["fireworks-ai"] == kinds["groq"] == kinds["deepinfra"] == "inference_host"
    assert kinds["mistral"] == "vendor"
    with pytest.raises(curated.CuratedFileError, match=r"providers.yaml:3: providers\[1\].kind"):
        curated.load_text("providers:\n- {provider_id: a, kind: cloud, name: A}\n- {provider_id: b, kind: gateway, name: B}\n",
                          "pipeline/providers.yaml", ProviderFile)
    with pytest.raises(curated.CuratedFileError, match="kind vendor goes with a `vendor`"):
        curated.load_text("providers:\n- {provider_id: a, kind: vendor, name: A}\n", "pipeline/providers.yaml", ProviderFile)


@pytest.mark.parametrize("source, provider_id, canonical", [
    ("litellm", "azure_ai", "azure"), ("modelsdev", "azure", "azure"),
    ("modelsdev", "chutes", "chutes"), ("modelsdev", "nvidia", "nvidia"),
    ("litellm", "bedrock", "amazon-bedrock"), ("modelsdev", "amazon-bedrock", "amazon-bedrock"),
    ("litellm", "vertex_ai-anthropic_models", "google-vertex"), ("modelsdev", "google-vertex", "google-vertex"),
    ("litellm", "fireworks_ai", "fireworks-ai"), ("modelsdev", "fireworks-ai", "fireworks-ai"),
    ("litellm", "together_ai", "togetherai"), ("modelsdev", "togetherai", "togetherai"),
    ("openrouter", "openrouter/mistral", "openrouter"),
    ("litellm", "lemonade", "lemonade"),  # not listed: a provider of its own
])
def test_source_providers_map_to_canonical_providers(source, provider_id, canonical):
    assert provider_for(source, provider_id).provider_id == canonical


def test_provider_names():
    assert provider_for("litellm", "azure_ai").name == "Microsoft Azure AI Foundry"
    assert provider_for("modelsdev", "chutes").name == "Chutes AI"
    assert provider_for("modelsdev", "nvidia").name == "NVIDIA NIM"


@pytest.mark.parametrize("name, expected, variant", [
    ("Llama 3.1 8B Instant", "meta-llama/llama-3.1-8b-instruct", "instant"),   # not the base model
    ("Llama 3.3 70B Versatile", "meta-llama/llama-3.3-70b-instruct", "versatile"),
    ("GPT OSS 120B", "openai/gpt-oss-120b", None),
    ("Qwen3 235B A22B Instruct 2507 FP8", "qwen/qwen3-235b-a22b-instruct-2507", "fp8"),
])
def test_pricing_page_names_resolve(name, expected, variant):
    anchors = [SourceId("openrouter", "openrouter", m) for m in (
        "meta-llama/llama-3.1-8b-instruct", "meta-llama/llama-3.3-70b-instruct", "openai/gpt-oss-120b",
        "qwen/qwen3-235b-a22b-instruct-2507")]
    base = SourceId("modelsdev", "vercel", "meta/llama-3.1-8b")  # Vercel's id names the base model
    page = SourceId("pricing_pages", "groq", name)
    r = _by_id(resolve_ids([*anchors, base, page], []))["pricing_pages", "groq", name]
    assert (r.model_id, r.variant) == (expected, variant)


def test_two_spellings_of_one_model_are_merged_and_two_releases_are_not():
    ids = [SourceId("litellm", "anthropic", "claude-3-7-sonnet-latest"),          # a moving alias
           SourceId("modelsdev", "anthropic", "claude-3-7-sonnet-20250219"),
           SourceId("litellm", "mistral", "mistral/ministral-14b-2512"),             # the dated API name
           SourceId("litellm", "together_ai", "together_ai/mistralai/Ministral-14B-Instruct-2512"),
           SourceId("litellm", "bedrock", "openai.gpt-oss-120b-1:0"),                # Bedrock's API version
           SourceId("openrouter", "openrouter", "openai/gpt-oss-120b"),
           SourceId("litellm", "anthropic", "claude-3-5-sonnet-20240620"),           # two releases, one name
           SourceId("litellm", "anthropic", "claude-3-5-sonnet-20241022"),
           SourceId("litellm", "vercel_ai_gateway", "vercel_ai_gateway/anthropic/claude-3-5-sonnet")]
    identity = resolve_ids(ids, [], aliases=[])
    by_id = _by_id(identity)
    assert by_id["litellm", "anthropic", "claude-3-7-sonnet-latest"].model_id == "anthropic/claude-3-7-sonnet-20250219"
    assert (by_id["litellm", "together_ai", "together_ai/mistralai/Ministral-14B-Instruct-2512"].model_id
            == by_id["litellm", "mistral", "mistral/ministral-14b-2512"].model_id)
    assert by_id["litellm", "bedrock", "openai.gpt-oss-120b-1:0"].model_id == "openai/gpt-oss-120b"
    sonnets = {m for m in identity.models if m.startswith("anthropic/claude-3-5-sonnet")}
    assert len(sonnets) == 3  # June, October and the undated moving name: never merged into one


def test_ids_that_name_nothing_are_unresolved_and_never_folded_into_one_model():
    """Issue 21, finding 11: 'evilcorp/@sum' and 'evilcorp/../../tmp/pwned' both normalised to an
    empty name and resolved (rule exact) to one model."""
    ids = [SourceId("openrouter", "openrouter", "evilcorp/@sum"), SourceId("openrouter", "openrouter", "evilcorp/../../tmp/pwned"),
           SourceId("openrouter", "openrouter", "evilcorp/real-model-1")]
    identity = resolve_ids(ids, [])
    assert set(identity.models) == {"evilcorp/real-model-1"}
    got = {r.id.source_id: (r.model_id, r.method, r.rule) for r in identity.resolutions}
    assert got["evilcorp/@sum"] == (None, "unresolved", "names_nothing")
    assert got["evilcorp/../../tmp/pwned"] == (None, "unresolved", "names_nothing")
