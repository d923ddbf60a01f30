"""Hugging Face model repos: API model info, model card and config.json, from the demo snapshot."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import scrapy

from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources.huggingface import count_parameters, document_urls, extract
from scrapers.spiders.huggingface import HuggingFaceSpider

FETCHED_AT = datetime(2026, 8, 22, 6, 0, tzinfo=timezone.utc)
PROJECT = Path(__file__).resolve().parent.parent
DEMO = PROJECT / "snapshots" / "demo"
REPOS = [
    "mistralai/Mistral-Large-Instruct-2407", "mistralai/Mistral-Small-4-119B-2603", "Qwen/Qwen2-7B-Instruct",
    "mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/Mixtral-8x22B-Instruct-v0.1",
    "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.3-70B-Instruct", "Qwen/Qwen3-30B-A3B",
    "Qwen/Qwen2.5-72B-Instruct", "deepseek-ai/DeepSeek-V3", "google/gemma-2-9b-it",
    "microsoft/Phi-3.5-mini-instruct", "mistralai/Mistral-Nemo-Instruct-2407", "openai/gpt-oss-120b",
    "Qwen/Qwen2-7B-Instruct-GGUF",
]
GATED = {"meta-llama/Llama-3.1-8B-Instruct": 401, "meta-llama/Llama-3.3-70B-Instruct": 401,
         "mistralai/Mistral-Large-Instruct-2407": 401, "mistralai/Mixtral-8x7B-Instruct-v0.1": 401,
         "google/gemma-2-9b-it": 403}
NO_CONFIG = "Qwen/Qwen2-7B-Instruct-GGUF"


def manifest() -> dict[str, dict]:
    return {e["url"]: e for e in json.loads((DEMO / "manifest.json").read_text())["sources"]}


def demo_document(url: str) -> Document:
    entry = manifest()[url]
    body = (DEMO / entry["file"]).read_bytes()
    return Document(source="huggingface", url=url, fetched_at=FETCHED_AT, status=entry["status"],
                    as_of=entry["as_of"], sha256=hashlib.sha256(body).hexdigest(), body=body)


def made_document(url: str, body: bytes | str | dict | list) -> Document:
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    return Document(source="huggingface", url=url, fetched_at=FETCHED_AT,
                    sha256=hashlib.sha256(body).hexdigest(), body=body)


def facts(result: Extraction) -> dict[str, tuple[object, str | None]]:
    """field -> (value, note) for one document's observations; a field stated twice fails,
    except the active parameters a title names beside the ones the text states."""
    out: dict[str, tuple[object, str | None]] = {}
    for o in result.observations:
        if o.note and "title names" in o.note:
            out["params_active_in_title"] = (o.value, o.note)
            continue
        assert o.field not in out, f"{o.field} observed twice"
        assert o.provider_id is None
        out[o.field] = (o.value, o.note)
    return out


def read(repo: str, kind: str) -> dict[str, tuple[object, str | None]]:
    api, card, config = document_urls(repo)
    result = extract(demo_document({"api": api, "card": card, "config": config}[kind]))
    assert {o.model_id for o in result.observations} == {repo}
    assert not result.rejections
    return facts(result)


def value(repo: str, kind: str, field: str) -> object:
    return read(repo, kind)[field][0]


# --- the three documents of a repo ------------------------------------------------------------

def test_urls_are_exactly_what_scrapy_requests_so_a_snapshot_replays_them():
    api, card, config = document_urls("Qwen/Qwen2-7B-Instruct")
    assert api == ("https://huggingface.co/api/models/Qwen/Qwen2-7B-Instruct?expand%5B%5D=safetensors"
                   "&expand%5B%5D=cardData&expand%5B%5D=config&expand%5B%5D=gated&expand%5B%5D=createdAt"
                   "&expand%5B%5D=tags")
    assert card == "https://huggingface.co/Qwen/Qwen2-7B-Instruct/raw/main/README.md"
    assert config == "https://huggingface.co/Qwen/Qwen2-7B-Instruct/raw/main/config.json"
    for url in (api, card, config):
        assert scrapy.Request(url).url == url


@pytest.mark.parametrize("bad", ["Qwen2-7B-Instruct", "a/b/c", "", "org/name?x=1", "/name"])
def test_a_malformed_repo_id_is_refused(bad):
    with pytest.raises(ValueError, match="not a Hugging Face repo id"):
        document_urls(bad)


def test_every_fixture_repo_is_in_the_demo_snapshot_with_its_documents():
    entries = manifest()
    for repo in REPOS:
        api, card, config = document_urls(repo)
        assert entries[api]["status"] == 200
        assert entries[card]["status"] == GATED.get(repo, 200)
        if repo == NO_CONFIG:
            assert config not in entries  # served as 404 on replay
        else:
            assert entries[config]["status"] == GATED.get(repo, 200)


# --- facts from the fixtures ------------------------------------------------------------------

def test_qwen2_7b_instruct():
    repo = "Qwen/Qwen2-7B-Instruct"
    api = read(repo, "api")
    assert api["license"] == ("Apache-2.0", "card metadata license: apache-2.0")  # not '1', nor 'apache-2.0'
    assert api["params_total"] == (7_615_616_512, "safetensors total")
    assert api["base_model"][0] == "Qwen/Qwen2-7B"
    assert api["gated"][0] is False
    config = read(repo, "config")
    assert config["native_context_window"] == (32768, "config max_position_embeddings")
    assert config["architecture"] == ("dense", "config: no expert counts")
    assert "extended_context_window" not in config  # the config itself has no rope_scaling
    card = read(repo, "card")
    assert card["extended_context_window"] == (131072, "card: rope_scaling yarn: factor 4 x 32768")
    assert card["license"][0] == "Apache-2.0" and card["name"][0] == "Qwen2-7B-Instruct"
    # what it takes in, from the card's pipeline_tag (in the API's card metadata and the README) and
    # the config's causal-LM architecture with no vision encoder: text only, vision No (not unknown)
    for stated in (api, card):
        assert stated["supports_vision"] == (False, stated["input_modalities"][1])
        assert list(stated["input_modalities"][0]) == ["text"] and list(stated["output_modalities"][0]) == ["text"]
        assert stated["input_modalities"][1].endswith("pipeline_tag: text-generation")
    assert config["supports_vision"] == (False, "config: Qwen2ForCausalLM, no vision encoder")


def test_a_vision_model_says_so_in_its_card_and_config():
    api, card, config = document_urls("Qwen/Qwen2-VL-7B-Instruct")
    stated = facts(extract(made_document(card, "---\npipeline_tag: image-text-to-text\n---\n# Qwen2-VL-7B-Instruct\n")))
    assert stated["supports_vision"][0] is True and sorted(stated["input_modalities"][0]) == ["image", "text"]
    body = {"architectures": ["Qwen2VLForConditionalGeneration"], "vision_config": {"depth": 32},
            "max_position_embeddings": 32768}
    assert facts(extract(made_document(config, body)))["supports_vision"] == (True, "config has vision_config")
    # a task tag that says nothing about inputs, and a config that is not a plain causal LM, claim nothing
    assert "supports_vision" not in facts(extract(made_document(card, "---\npipeline_tag: any-to-any\n---\n# X\n")))
    for other in ({"architectures": ["Gemma3ForConditionalGeneration"], "max_position_embeddings": 8192},
                  {"architectures": ["Phi3VForCausalLM"], "max_position_embeddings": 131072},
                  {"architectures": ["LlavaLlamaForCausalLM"], "mm_projector_type": "mlp2x_gelu",
                   "max_position_embeddings": 4096}):
        assert "supports_vision" not in facts(extract(made_document(config, other))), other


def test_mistral_large_2407_is_gated_under_the_research_license():
    repo = "mistralai/Mistral-Large-Instruct-2407"
    api = read(repo, "api")
    assert api["license"] == ("Mistral Research License", "card metadata license: other, license_name: mrl")
    assert api["gated"] == (True, "gated: auto")
    # no public source states its safetensors total, so the fixture has none: parameters unknown here
    assert "params_total" not in api
    # anonymous requests for a gated repo's card and config get 401: nothing is read from them
    for kind in ("card", "config"):
        url = document_urls(repo)[("api", "card", "config").index(kind)]
        with pytest.raises(SourceError, match="HTTP 401"):
            extract(demo_document(url))


def test_mistral_small_4_states_its_experts_in_the_config_and_its_active_parameters_in_the_card():
    repo = "mistralai/Mistral-Small-4-119B-2603"
    config = read(repo, "config")
    assert config["architecture"] == ("moe", "config: 4 of 128 experts (+1 shared)")
    assert config["num_experts"] == (128, "config text_config.n_routed_experts")
    assert config["experts_per_token"] == (4, "config text_config.num_experts_per_tok")
    assert config["native_context_window"] == (1048576, "config text_config.max_position_embeddings")
    assert "extended_context_window" not in config  # yarn x128 over 8192 is the native 1,048,576
    assert "params_active" not in config  # mistral4 layer shapes are not counted here
    card = read(repo, "card")
    assert card["params_total"] == (119_000_000_000, "card states 119B total")
    assert card["params_active"] == (6_500_000_000, "card states 6.5B active")
    assert card["params_active_in_title"] == (6_000_000_000, "card title names A6B")
    assert card["name"][0] == "Mistral Small 4 119B A6B"
    assert card["license"][0] == value(repo, "api", "license") == "Apache-2.0"
    assert "params_total" not in read(repo, "api")  # no safetensors count recorded for it


# Mixtral 8x7B's config.json shapes (the repo is gated; the same shapes are public in Keras Hub's
# Mixtral presets and Mistral's reference code): 32 layers of 4096, 8 experts of 14336, 2 per token.
MIXTRAL_8X7B_CONFIG = {"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "hidden_size": 4096,
                       "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
                       "num_key_value_heads": 8, "vocab_size": 32000, "num_local_experts": 8,
                       "num_experts_per_tok": 2, "max_position_embeddings": 32768, "tie_word_embeddings": False}


def test_mixtral_active_parameters_are_counted_from_the_config():
    url = document_urls("mistralai/Mixtral-8x7B-Instruct-v0.1")[2]
    config = facts(extract(made_document(url, MIXTRAL_8X7B_CONFIG)))
    assert count_parameters(MIXTRAL_8X7B_CONFIG) == 46_702_792_704  # Keras Hub's mixtral_8_instruct_7b_en
    assert config["architecture"][0] == "moe"
    assert (config["num_experts"][0], config["experts_per_token"][0]) == (8, 2)
    # Mistral's announcement: "46.7B total parameters but only uses 12.9B parameters per token".
    assert config["params_active"] == (12_879_925_248, "config: 2 of 8 experts, counted from layer shapes")
    big = read("mistralai/Mixtral-8x22B-Instruct-v0.1", "config")
    assert big["params_active"][0] == 39_161_468_928 and big["native_context_window"][0] == 65536


def test_qwen3_moe_has_both_the_counted_and_the_stated_active_parameters():
    repo = "Qwen/Qwen3-30B-A3B"
    config = read(repo, "config")
    assert config["architecture"] == ("moe", "config: 8 of 128 experts")
    assert config["params_active"][0] == 3_353_032_704
    assert config["native_context_window"][0] == 40960
    card = read(repo, "card")
    assert card["params_active"] == (3_300_000_000, "card states 3.3B active")
    assert card["params_active_in_title"] == (3_000_000_000, "card title names A3B")
    assert card["params_total"][0] == 30_500_000_000
    assert card["extended_context_window"][0] == 131072
    assert value(repo, "api", "base_model") == "Qwen/Qwen3-30B-A3B-Base"  # a one-item list


def test_deepseek_v3_and_gpt_oss_state_active_parameters_in_their_cards():
    assert read("deepseek-ai/DeepSeek-V3", "card")["params_active"] == (37_000_000_000, "card states 37B active")
    config = read("deepseek-ai/DeepSeek-V3", "config")
    assert config["architecture"] == ("moe", "config: 8 of 256 experts (+1 shared)")
    assert config["native_context_window"][0] == 163840
    assert "extended_context_window" not in config  # yarn x40 over 4096 is the native 163,840
    card = read("openai/gpt-oss-120b", "card")
    assert (card["params_total"][0], card["params_active"][0]) == (117_000_000_000, 5_100_000_000)
    assert (value("openai/gpt-oss-120b", "config", "num_experts"),
            value("openai/gpt-oss-120b", "config", "experts_per_token")) == (128, 4)


def test_licenses_map_hub_ids_to_spdx_or_proper_names():
    assert value("Qwen/Qwen2.5-72B-Instruct", "api", "license") == "Qwen License"
    assert value("microsoft/Phi-3.5-mini-instruct", "api", "license") == "MIT"
    assert value("meta-llama/Llama-3.1-8B-Instruct", "api", "license") == "Llama 3.1 Community License"
    assert value("meta-llama/Llama-3.3-70B-Instruct", "api", "license") == "Llama 3.3 Community License"
    assert value("google/gemma-2-9b-it", "api", "license") == "Gemma Terms of Use"


def test_gated_repos_still_give_their_api_facts():
    api = read("meta-llama/Llama-3.1-8B-Instruct", "api")
    assert api["gated"] == (True, "gated: manual") and api["params_total"][0] == 8_030_261_248
    assert read("google/gemma-2-9b-it", "api")["gated"][0] is True


def test_a_longrope_config_states_no_single_extension_factor():
    config = read("microsoft/Phi-3.5-mini-instruct", "config")
    assert config["native_context_window"][0] == 131072 and "extended_context_window" not in config


def test_the_layer_count_reproduces_every_safetensors_total_it_can_count():
    """The parameter counter behind params_active, checked against the Hub's own counts."""
    checked = []
    for repo in REPOS:
        folder = DEMO / "huggingface" / repo
        if not (folder / "config.json").is_file():
            continue
        config = json.loads((folder / "config.json").read_text())
        total = (json.loads((folder / "api.json").read_text()).get("safetensors") or {}).get("total")
        counted = count_parameters(config)
        if counted is not None and total is not None:
            assert counted == total, repo
            checked.append(repo)
    assert len(checked) == 5  # and Mixtral 8x7B, whose config is gated: test_mixtral_active_parameters_...
    # Llama 3.1 8B's config is gated in the snapshot; its published shapes give the Hub's 8,030,261,248.
    llama = {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
             "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
             "tie_word_embeddings": False}
    assert count_parameters(llama) == 8_030_261_248
    assert count_parameters({"model_type": "gpt_oss"}) is None
    assert count_parameters({"model_type": "mistral", "hidden_size": 8}) is None  # shapes missing


# --- unusable documents and bad values --------------------------------------------------------

MALFORMED = {
    "unparseable": ("---\nlicense: apache-2.0\nlanguage: [en, fr\n---\n# X\n", "not valid YAML at line"),
    "tabs": ("---\nlicense: mit\n\tbase_model: x\n---\n", "not valid YAML"),
    "unclosed": ("---\nlicense: mit\n# Title\n", "opens with '---' but never closes"),
    "a list": ("---\n- mit\n- apache-2.0\n---\n", "not a YAML mapping"),
    "html": ("<!DOCTYPE html><html><body>Sign in</body></html>", "HTML served"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_card_fails_that_document_with_a_clear_reason(case):
    body, reason = MALFORMED[case]
    url = document_urls("org/model")[1]
    with pytest.raises(SourceError, match=reason) as error:
        extract(made_document(url, body))
    assert error.value.url == url and error.value.source == "huggingface"


def test_the_yaml_error_names_the_line_of_the_readme():
    body = "---\nlicense: apache-2.0\nlanguage: [en, fr\n---\n"
    with pytest.raises(SourceError) as error:
        extract(made_document(document_urls("org/model")[1], body))
    assert "line 4" in error.value.reason  # the '---' where the open flow sequence is found unclosed


def test_a_card_without_front_matter_is_read_for_its_text():
    result = extract(made_document(document_urls("org/model")[1], "# Plain\n\nA model with 10B parameters and 2B active.\n"))
    assert facts(result) == {"name": ("Plain", "card title"),
                             "params_total": (10_000_000_000, "card states 10B total"),
                             "params_active": (2_000_000_000, "card states 2B active")}


def test_a_card_opening_with_html_markup_is_still_a_card():
    body = '<div align="center"><img src="logo.svg"></div>\n\n# Logo Model\n'
    assert facts(extract(made_document(document_urls("org/model")[1], body))) == {"name": ("Logo Model", "card title")}


def test_headings_inside_code_blocks_are_not_the_title():
    body = "---\nlicense: mit\n---\n```bash\n# install\npip install x\n```\n# Real Title\n"
    assert facts(extract(made_document(document_urls("org/model")[1], body)))["name"][0] == "Real Title"


@pytest.mark.parametrize("payload, reason", [
    ({"cardData": {}}, "missing $.id"),
    ({"id": "org/model", "cardData": ["apache-2.0"]}, "expected object at $.cardData"),
    ([], "expected object at $"),
])
def test_an_api_payload_of_the_wrong_shape_fails_the_document(payload, reason):
    with pytest.raises(SourceError) as error:
        extract(made_document(document_urls("org/model")[0], payload))
    assert error.value.reason == reason


def test_a_bad_value_is_a_rejection_not_a_failed_document():
    payload = {"id": "org/model", "safetensors": {"total": "many"}, "gated": "sometimes",
               "cardData": {"license": "other"}, "createdAt": "2024-07-18T08:55:12.000Z"}
    result = extract(made_document(document_urls("org/model")[0], payload))
    reasons = {r.field: r.reason for r in result.rejections}
    assert set(reasons) == {"params_total", "gated", "license"}
    assert "without a license_name" in reasons["license"]
    assert facts(result) == {"created_date": (datetime(2024, 7, 18).date(), None),
                             "open_weights": (True, "weights published on the Hugging Face Hub")}


def test_an_unknown_license_passes_through_with_a_note():
    payload = {"id": "org/model", "cardData": {"license": "other", "license_name": "acme-open"}}
    license_ = facts(extract(made_document(document_urls("org/model")[0], payload)))["license"]
    assert license_ == ("acme-open", "card metadata license: other, license_name: acme-open "
                                     "(not in versus' license table)")


def test_a_renamed_repo_records_the_id_the_hub_answers_with():
    payload = {"id": "meta-llama/Llama-3.1-8B-Instruct", "gated": "manual"}
    result = extract(made_document(document_urls("meta-llama/Meta-Llama-3.1-8B-Instruct")[0], payload))
    assert facts(result)["hugging_face_id"][0] == "meta-llama/Llama-3.1-8B-Instruct"
    assert {o.model_id for o in result.observations} == {"meta-llama/Meta-Llama-3.1-8B-Instruct"}


def test_a_config_with_a_rope_factor_beyond_its_positions_states_the_extension():
    config = {"max_position_embeddings": 32768, "rope_scaling": {"type": "yarn", "factor": 4.0,
                                                                 "original_max_position_embeddings": 32768}}
    got = facts(extract(made_document(document_urls("org/model")[2], config)))
    assert got["extended_context_window"] == (131072, "config rope_scaling yarn: factor 4 x 32768")


def test_an_error_status_or_a_foreign_url_never_parses():
    error_doc = demo_document(document_urls("meta-llama/Llama-3.1-8B-Instruct")[1])
    assert error_doc.status == 401
    with pytest.raises(SourceError, match="HTTP 401"):
        extract(error_doc)
    with pytest.raises(SourceError, match="not a Hugging Face"):
        extract(made_document("https://huggingface.co/org/model/raw/main/tokenizer.json", {}))


# --- the spider -------------------------------------------------------------------------------

def test_repos_come_from_the_argument_and_a_file(tmp_path):
    listed = tmp_path / "repos.txt"
    listed.write_text("# hugging_face_id of every known model\nQwen/Qwen2-7B-Instruct\n\norg/b  # trailing\n")
    spider = HuggingFaceSpider(repos="org/a, Qwen/Qwen2-7B-Instruct", repos_file=str(listed))
    assert spider.repos == ["org/a", "Qwen/Qwen2-7B-Instruct", "org/b"]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_crawl_of_the_demo_snapshot_records_gated_and_missing_documents(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "scrapers.crawl", "huggingface", "--spool", str(tmp_path),
         "--snapshot", str(DEMO), "-a", "repos=" + ",".join(REPOS + ["not-a-repo"])],
        cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "skipped: not a Hugging Face repo id: 'not-a-repo'" in run.stderr  # and the others still crawl
    lines = (tmp_path / "huggingface" / "documents.jsonl").read_text().splitlines()
    spooled = {d["url"]: d for d in map(json.loads, lines)}
    assert len(lines) == len(spooled) == 3 * len(REPOS)
    assert not any(d["required"] for d in spooled.values())  # no document can fail the crawl
    for repo in REPOS:
        api, card, config = document_urls(repo)
        assert (spooled[api]["status"], spooled[api]["error"]) == (200, None)
        status = GATED.get(repo, 200)
        assert (spooled[card]["status"], spooled[card]["error"]) == (status, None if status == 200 else f"HTTP {status}")
        expected = 404 if repo == NO_CONFIG else status
        assert spooled[config]["status"] == expected
        assert spooled[config]["error"] == (None if expected == 200 else f"HTTP {expected}")
    landed = 0
    for d in spooled.values():
        if d["error"] is None:
            body = (tmp_path / "huggingface" / "bodies" / d["sha256"]).read_bytes()
            doc = Document(body=body, **{k: d[k] for k in ("source", "url", "fetched_at", "status",
                                                            "content_type", "as_of", "sha256")})
            result = extract(doc)
            assert not result.rejections, d["url"]
            landed += len(result.observations)
    assert landed > 3 * len(REPOS)

