"""Build the bundled demo snapshots from the real recorded ones in ../shared/snapshots.

    python bench/make_demo_snapshot.py            # writes snapshots/demo and snapshots/demo-earlier
    python bench/make_demo_snapshot.py --diff     # also prints the price changes between the two

`snapshots/demo` is cut from the 2026-08 recording and `snapshots/demo-earlier` from 2026-01, with
the same model selection (`SELECTION`), so the differences between them are real. Each file keeps
its source's exact structure and serialisation; only entries are dropped. A dev tool: tests never
run it, they read what it wrote.

The manifests are shared with other writers (Hugging Face cards, pricing pages): entries for URLs
this script does not own are kept as they are.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from scrapers.snapshot import Manifest, SnapshotEntry, write_manifest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "snapshots"
BUILDS = {"demo": "2026-08", "demo-earlier": "2026-01"}  # output label -> recorded snapshot

API = "https://models.dev/api.json"
CATALOGUE = "https://models.dev/models.json"
OPENROUTER = "https://openrouter.ai/api/v1/models"
LITELLM = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
GENAI = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
FILES = {  # the URLs this script owns -> where their subset lies in the demo snapshot
    API: "modelsdev/api.json",
    CATALOGUE: "modelsdev/models.json",
    OPENROUTER: "openrouter/models.json",
    LITELLM: "litellm/model_prices_and_context_window.json",
    GENAI: "genai_prices/data.json",
}


@dataclass
class Model:
    """One model and the ids each source gives it (some exist on only one of the two dates)."""
    name: str
    modelsdev: list[tuple[str, str]] = field(default_factory=list)  # (provider, model id) in api.json
    catalogue: list[str] = field(default_factory=list)  # models.json ids
    openrouter: list[str] = field(default_factory=list)
    litellm: list[str] = field(default_factory=list)
    genai: list[tuple[str, str]] = field(default_factory=list)  # (provider, model id)


SELECTION = [
    Model("Mistral Large 2 (2407)",
          modelsdev=[("kilo", "mistralai/mistral-large-2407"), ("openrouter", "mistralai/mistral-large-2407")],
          openrouter=["mistralai/mistral-large-2407"],
          litellm=["azure_ai/mistral-large-2407", "mistral.mistral-large-2407-v1:0", "mistral/mistral-large-2407"],
          genai=[("mistral", "mistral-large")]),
    Model("Mistral Small 4 (2603)",
          modelsdev=[("mistral", "mistral-small-2603"), ("venice", "mistral-small-2603"),
                     ("kilo", "mistralai/mistral-small-2603"), ("openrouter", "mistralai/mistral-small-2603"),
                     ("nvidia", "mistralai/mistral-small-4-119b-2603"),
                     ("nano-gpt", "mistralai/mistral-small-4-119b-2603"),
                     ("nano-gpt", "mistralai/mistral-small-4-119b-2603:thinking"),
                     ("regolo-ai", "mistral-small-4-119b")],
          catalogue=["mistral/mistral-small-2603"],
          openrouter=["mistralai/mistral-small-2603"],
          litellm=["mistral/mistral-small-2603"],
          genai=[("mistral", "mistral-small-2603"), ("openrouter", "mistralai/mistral-small-2603")]),
    Model("Qwen2-7B-Instruct",
          litellm=["fireworks_ai/accounts/fireworks/models/qwen2-7b-instruct"]),
    Model("GPT-4o",
          modelsdev=[("openai", "gpt-4o"), ("openai", "gpt-4o-2024-11-20"), ("azure", "gpt-4o"),
                     ("openrouter", "openai/gpt-4o"), ("vercel", "openai/gpt-4o")],
          catalogue=["openai/gpt-4o"],
          openrouter=["openai/gpt-4o"],
          litellm=["gpt-4o", "gpt-4o-2024-11-20", "azure/gpt-4o-2024-11-20", "azure/eu/gpt-4o-2024-11-20",
                   "openrouter/openai/gpt-4o"],
          genai=[("openai", "gpt-4o"), ("openrouter", "openai/gpt-4o")]),
    Model("GPT-4o mini",
          modelsdev=[("openai", "gpt-4o-mini"), ("azure", "gpt-4o-mini"), ("openrouter", "openai/gpt-4o-mini"),
                     ("venice", "openai-gpt-4o-mini-2024-07-18")],
          catalogue=["openai/gpt-4o-mini"],
          openrouter=["openai/gpt-4o-mini"],
          litellm=["gpt-4o-mini", "azure/gpt-4o-mini", "azure/us/gpt-4o-mini-2024-07-18"],
          genai=[("openai", "gpt-4o-mini"), ("openrouter", "openai/gpt-4o-mini")]),
    Model("o3",
          modelsdev=[("openai", "o3"), ("azure", "o3"), ("openrouter", "openai/o3")],
          catalogue=["openai/o3"],
          openrouter=["openai/o3"],
          litellm=["o3", "azure/o3-2025-04-16", "azure/eu/o3-2025-04-16"],
          genai=[("openai", "o3")]),
    Model("gpt-oss-120b",
          modelsdev=[("openrouter", "openai/gpt-oss-120b"), ("openrouter", "openai/gpt-oss-120b:free"),
                     ("openrouter", "openai/gpt-oss-120b:exacto"), ("cerebras", "gpt-oss-120b"),
                     ("groq", "openai/gpt-oss-120b"), ("amazon-bedrock", "openai.gpt-oss-120b-1:0"),
                     ("deepinfra", "openai/gpt-oss-120b"), ("nvidia", "openai/gpt-oss-120b")],
          catalogue=["openai/gpt-oss-120b"],
          openrouter=["openai/gpt-oss-120b", "openai/gpt-oss-120b:free", "openai/gpt-oss-120b:exacto"],
          litellm=["openai.gpt-oss-120b-1:0", "groq/openai/gpt-oss-120b", "deepinfra/openai/gpt-oss-120b",
                   "cerebras/openai/gpt-oss-120b", "cerebras/gpt-oss-120b",
                   "fireworks_ai/accounts/fireworks/models/gpt-oss-120b", "vertex_ai/openai/gpt-oss-120b-maas",
                   "wandb/openai/gpt-oss-120b"],
          genai=[("openai", "gpt-oss-120b"), ("groq", "openai/gpt-oss-120b"), ("aws", "openai.gpt-oss-120b-1:0"),
                 ("cerebras", "gpt-oss-120b"), ("openrouter", "openai/gpt-oss-120b")]),
    Model("Claude Sonnet 4.5",
          modelsdev=[("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-sonnet-4-5-20250929"),
                     ("amazon-bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
                     ("amazon-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                     ("amazon-bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                     ("google-vertex", "claude-sonnet-4-5@20250929"), ("openrouter", "anthropic/claude-sonnet-4.5")],
          catalogue=["anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5-20250929"],
          openrouter=["anthropic/claude-sonnet-4.5"],
          litellm=["claude-sonnet-4-5-20250929", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                   "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                   "vertex_ai/claude-sonnet-4-5@20250929"],
          genai=[("anthropic", "claude-sonnet-4-5"), ("aws", "regional.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                 ("aws", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                 ("openrouter", "anthropic/claude-sonnet-4.5")]),
    Model("Claude Haiku 4.5",
          modelsdev=[("anthropic", "claude-haiku-4-5-20251001"),
                     ("amazon-bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0"),
                     ("amazon-bedrock", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
                     ("openrouter", "anthropic/claude-haiku-4.5")],
          catalogue=["anthropic/claude-haiku-4-5-20251001"],
          openrouter=["anthropic/claude-haiku-4.5"],
          litellm=["claude-haiku-4-5-20251001", "global.anthropic.claude-haiku-4-5-20251001-v1:0",
                   "us.anthropic.claude-haiku-4-5-20251001-v1:0"],
          genai=[("anthropic", "claude-haiku-4-5"), ("aws", "global.anthropic.claude-haiku-4-5-20251001-v1:0"),
                 ("aws", "regional.anthropic.claude-haiku-4-5-20251001-v1:0"),
                 ("openrouter", "anthropic/claude-haiku-4.5")]),
    Model("Gemini 2.5 Flash",
          modelsdev=[("google", "gemini-2.5-flash"), ("google-vertex", "gemini-2.5-flash"),
                     ("openrouter", "google/gemini-2.5-flash"), ("vercel", "google/gemini-2.5-flash")],
          catalogue=["google/gemini-2.5-flash"],
          openrouter=["google/gemini-2.5-flash"],
          litellm=["gemini/gemini-2.5-flash", "vercel_ai_gateway/google/gemini-2.5-flash"],
          genai=[("google", "gemini-2.5-flash"), ("openrouter", "google/gemini-2.5-flash")]),
    Model("Gemini 2.5 Pro",
          modelsdev=[("google", "gemini-2.5-pro"), ("google-vertex", "gemini-2.5-pro"),
                     ("openrouter", "google/gemini-2.5-pro"), ("nano-gpt", "gemini-2.5-pro")],
          catalogue=["google/gemini-2.5-pro"],
          openrouter=["google/gemini-2.5-pro"],
          litellm=["gemini/gemini-2.5-pro", "gemini-2.5-pro", "vercel_ai_gateway/google/gemini-2.5-pro"],
          genai=[("google", "gemini-2.5-pro"), ("openrouter", "google/gemini-2.5-pro")]),
    Model("Gemma 3 27B",
          modelsdev=[("openrouter", "google/gemma-3-27b-it"), ("amazon-bedrock", "google.gemma-3-27b-it"),
                     ("venice", "google-gemma-3-27b-it"), ("nvidia", "google/gemma-3-27b-it")],
          openrouter=["google/gemma-3-27b-it"],
          litellm=["gemini/gemma-3-27b-it", "deepinfra/google/gemma-3-27b-it", "google.gemma-3-27b-it"],
          genai=[("aws", "google.gemma-3-27b-it"), ("openrouter", "google/gemma-3-27b-it"),
                 ("openrouter", "google/gemma-3-27b-it:free")]),
    Model("Llama 3.3 70B Instruct",
          modelsdev=[("groq", "llama-3.3-70b-versatile"), ("amazon-bedrock", "meta.llama3-3-70b-instruct-v1:0"),
                     ("togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
                     ("openrouter", "meta-llama/llama-3.3-70b-instruct"),
                     ("openrouter", "meta-llama/llama-3.3-70b-instruct:free"),
                     ("nano-gpt", "meta-llama/llama-3.3-70b-instruct")],
          catalogue=["meta/llama-3.3-70b-instruct"],
          openrouter=["meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct:free"],
          litellm=["meta.llama3-3-70b-instruct-v1:0", "us.meta.llama3-3-70b-instruct-v1:0",
                   "groq/llama-3.3-70b-versatile", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
                   "deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo", "azure_ai/Llama-3.3-70B-Instruct",
                   "wandb/meta-llama/Llama-3.3-70B-Instruct"],
          genai=[("aws", "meta.llama3-3-70b-instruct-v1:0"), ("groq", "llama-3.3-70b-versatile"),
                 ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
                 ("openrouter", "meta-llama/llama-3.3-70b-instruct"),
                 ("openrouter", "meta-llama/llama-3.3-70b-instruct:free")]),
    Model("Llama 3.1 8B Instruct",
          modelsdev=[("amazon-bedrock", "meta.llama3-1-8b-instruct-v1:0"), ("groq", "llama-3.1-8b-instant"),
                     ("openrouter", "meta-llama/llama-3.1-8b-instruct"), ("vercel", "meta/llama-3.1-8b"),
                     ("nvidia", "meta/llama-3.1-8b-instruct")],
          openrouter=["meta-llama/llama-3.1-8b-instruct"],
          litellm=["meta.llama3-1-8b-instruct-v1:0", "us.meta.llama3-1-8b-instruct-v1:0", "groq/llama-3.1-8b-instant",
                   "deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "vercel_ai_gateway/meta/llama-3.1-8b",
                   "cerebras/llama3.1-8b"],
          genai=[("aws", "meta.llama3-1-8b-instruct-v1:0"), ("groq", "llama-3.1-8b-instant"),
                 ("cerebras", "llama3.1-8b"), ("openrouter", "meta-llama/llama-3.1-8b-instruct")]),
    Model("DeepSeek V3.2",
          modelsdev=[("openrouter", "deepseek/deepseek-v3.2"), ("venice", "deepseek-v3.2"),
                     ("vercel", "deepseek/deepseek-v3.2"), ("azure", "deepseek-v3.2"),
                     ("amazon-bedrock", "deepseek.v3.2"), ("deepinfra", "deepseek-ai/DeepSeek-V3.2")],
          openrouter=["deepseek/deepseek-v3.2"],
          litellm=["deepseek/deepseek-v3.2", "deepseek.v3.2", "us.deepseek.v3.2", "eu.deepseek.v3.2",
                   "azure_ai/deepseek-v3.2", "deepinfra/deepseek-ai/DeepSeek-V3.2"],
          genai=[("deepseek", "deepseek-v3.2"), ("fireworks", "deepseek-v3p2"),
                 ("openrouter", "deepseek/deepseek-v3.2")]),
    Model("DeepSeek R1",
          modelsdev=[("openrouter", "deepseek/deepseek-r1"), ("azure", "deepseek-r1"),
                     ("togetherai", "deepseek-ai/DeepSeek-R1"), ("vercel", "deepseek/deepseek-r1")],
          catalogue=["deepseek/deepseek-r1"],
          openrouter=["deepseek/deepseek-r1"],
          litellm=["deepseek/deepseek-r1", "azure_ai/deepseek-r1", "together_ai/deepseek-ai/DeepSeek-R1",
                   "fireworks_ai/accounts/fireworks/models/deepseek-r1", "deepinfra/deepseek-ai/DeepSeek-R1"],
          genai=[("aws", "deepseek.r1-v1:0"), ("openrouter", "deepseek/deepseek-r1")]),
    Model("DeepSeek Chat (deepseek-chat, the API's moving alias)",
          modelsdev=[("deepseek", "deepseek-chat"), ("openrouter", "deepseek/deepseek-chat")],
          catalogue=["deepseek/deepseek-chat"],
          openrouter=["deepseek/deepseek-chat"],
          litellm=["deepseek/deepseek-chat", "deepseek-chat"],
          genai=[("deepseek", "deepseek-chat"), ("openrouter", "deepseek/deepseek-chat")]),
    Model("DeepSeek Reasoner (deepseek-reasoner, the API's moving alias)",
          modelsdev=[("deepseek", "deepseek-reasoner")],
          catalogue=["deepseek/deepseek-reasoner"],
          litellm=["deepseek/deepseek-reasoner", "deepseek-reasoner"],
          genai=[("deepseek", "deepseek-reasoner")]),
    Model("Qwen3 235B A22B Instruct 2507",
          modelsdev=[("openrouter", "qwen/qwen3-235b-a22b-2507"), ("amazon-bedrock", "qwen.qwen3-235b-a22b-2507-v1:0"),
                     ("google-vertex", "qwen/qwen3-235b-a22b-instruct-2507-maas"),
                     ("venice", "qwen3-235b-a22b-instruct-2507"),
                     ("togetherai", "Qwen/Qwen3-235B-A22B-Instruct-2507-tput")],
          openrouter=["qwen/qwen3-235b-a22b-2507"],
          litellm=["qwen.qwen3-235b-a22b-2507-v1:0", "deepinfra/Qwen/Qwen3-235B-A22B-Instruct-2507",
                   "vertex_ai/qwen/qwen3-235b-a22b-instruct-2507-maas",
                   "together_ai/Qwen/Qwen3-235B-A22B-Instruct-2507-tput",
                   "fireworks_ai/accounts/fireworks/models/qwen3-235b-a22b-instruct-2507"],
          genai=[("openrouter", "qwen/qwen3-235b-a22b-2507")]),
    Model("Qwen3 32B",
          modelsdev=[("alibaba", "qwen3-32b"), ("groq", "qwen/qwen3-32b"), ("amazon-bedrock", "qwen.qwen3-32b-v1:0"),
                     ("openrouter", "qwen/qwen3-32b"), ("openrouter", "qwen/qwen3-32b:free")],
          catalogue=["alibaba/qwen3-32b"],
          openrouter=["qwen/qwen3-32b", "qwen/qwen3-32b:free"],
          litellm=["qwen.qwen3-32b-v1:0", "groq/qwen/qwen3-32b", "deepinfra/Qwen/Qwen3-32B"],
          genai=[("groq", "qwen/qwen3-32b"), ("aws", "qwen.qwen3-32b-v1:0"), ("openrouter", "qwen/qwen3-32b")]),
    Model("Mixtral 8x7B Instruct",
          modelsdev=[("mistral", "open-mixtral-8x7b"), ("amazon-bedrock", "mistral.mixtral-8x7b-instruct-v0:1"),
                     ("nvidia", "mistralai/mixtral-8x7b-instruct")],
          litellm=["mistral/open-mixtral-8x7b", "mistral.mixtral-8x7b-instruct-v0:1",
                   "bedrock/eu-west-3/mistral.mixtral-8x7b-instruct-v0:1",
                   "together_ai/mistralai/Mixtral-8x7B-Instruct-v0.1", "groq/mixtral-8x7b-32768"],
          genai=[("mistral", "mixtral-8x7b"), ("aws", "mistral.mixtral-8x7b-instruct-v0:1"),
                 ("together", "mistralai/Mixtral-8x7B-Instruct-v0.1")]),
    Model("Mixtral 8x22B Instruct",
          modelsdev=[("mistral", "open-mixtral-8x22b"), ("openrouter", "mistralai/mixtral-8x22b-instruct"),
                     ("vercel", "mistral/mixtral-8x22b-instruct")],
          openrouter=["mistralai/mixtral-8x22b-instruct"],
          litellm=["mistral/open-mixtral-8x22b", "vercel_ai_gateway/mistral/mixtral-8x22b-instruct",
                   "fireworks_ai/accounts/fireworks/models/mixtral-8x22b-instruct"],
          genai=[("mistral", "mixtral-8x22b-instruct"), ("together", "mistralai/Mixtral-8x22B-Instruct-v0.1"),
                 ("openrouter", "mistralai/mixtral-8x22b-instruct")]),
    Model("Mistral Nemo",
          modelsdev=[("mistral", "mistral-nemo"), ("mistral", "open-mistral-nemo"), ("azure", "mistral-nemo"),
                     ("openrouter", "mistralai/mistral-nemo"), ("openrouter", "mistralai/mistral-nemo:free"),
                     ("vercel", "mistral/mistral-nemo")],
          catalogue=["mistral/mistral-nemo"],
          openrouter=["mistralai/mistral-nemo", "mistralai/mistral-nemo:free"],
          litellm=["mistral/open-mistral-nemo", "mistral/open-mistral-nemo-2407", "azure_ai/mistral-nemo",
                   "deepinfra/mistralai/Mistral-Nemo-Instruct-2407", "vertex_ai/mistral-nemo@2407",
                   "vertex_ai/mistral-nemo@latest"],
          genai=[("mistral", "mistral-nemo"), ("openrouter", "mistralai/mistral-nemo"),
                 ("openrouter", "mistralai/mistral-nemo:free")]),
]


def wanted(attr: str) -> set:
    return {i for model in SELECTION for i in getattr(model, attr)}


# --- one subset function per payload: same structure, fewer entries -------------------------------

def subset_api(raw: bytes, keep: set[tuple[str, str]]) -> tuple[bytes, set]:
    """models.dev api.json: {provider: {...metadata, models: {id: offering}}}; providers without a kept model go."""
    data, out, found = json.loads(raw), {}, set()
    for pid, provider in data.items():
        models = {mid: m for mid, m in provider["models"].items() if (pid, mid) in keep}
        if models:
            out[pid] = {k: (models if k == "models" else v) for k, v in provider.items()}
            found |= {(pid, mid) for mid in models}
    return dumps_modelsdev(out), found


def subset_catalogue(raw: bytes, keep: set[str]) -> tuple[bytes, set]:
    data = json.loads(raw)
    out = {k: v for k, v in data.items() if k in keep}
    return dumps_modelsdev(out), set(out)


def subset_openrouter(raw: bytes, keep: set[str]) -> tuple[bytes, set]:
    data = json.loads(raw)
    out = {k: ([m for m in v if m["id"] in keep] if k == "data" else v) for k, v in data.items()}
    return dumps_modelsdev(out), {m["id"] for m in out["data"]}


def subset_genai(raw: bytes, keep: set[tuple[str, str]]) -> tuple[bytes, set]:
    """genai-prices: a list of providers, each with its metadata and a list of models."""
    out, found = [], set()
    for provider in json.loads(raw):
        models = [m for m in provider["models"] if (provider["id"], m["id"]) in keep]
        if models:
            out.append({k: (models if k == "models" else v) for k, v in provider.items()})
            found |= {(provider["id"], m["id"]) for m in models}
    return dumps_genai(out), found


def subset_litellm(raw: bytes, keep: set[str]) -> tuple[bytes, set]:
    """LiteLLM's file is hand-edited (number literals such as `15e-06`), so entries are cut as text.

    `sample_spec`, the file's documentation entry, is kept: a reader must skip it.
    """
    text = raw.decode("utf-8")
    spans = top_level_spans(text)
    chosen = [key for key in spans if key in keep or key == "sample_spec"]
    body = ",\n".join("    " + text[slice(*spans[key])] for key in chosen)
    return ("{\n" + body + "\n}\n").encode(), set(chosen) - {"sample_spec"}


def top_level_spans(text: str) -> dict[str, tuple[int, int]]:
    """Each top-level key of a JSON object -> the text span from its key to the end of its value."""
    decoder, ws = json.JSONDecoder(), " \t\r\n"
    spans, i = {}, text.index("{") + 1
    while True:
        while text[i] in ws:
            i += 1
        if text[i] == "}":
            return spans
        start = i
        key, i = json.decoder.scanstring(text, i + 1)
        while text[i] in ws + ":":
            i += 1
        _, i = decoder.raw_decode(text, i)
        spans[key] = (start, i)
        while text[i] in ws:
            i += 1
        if text[i] == ",":
            i += 1


def dumps_modelsdev(data) -> bytes:
    """models.dev and the OpenRouter rebuild are written by Python's json.dumps with its defaults."""
    return json.dumps(data).encode()


def dumps_genai(data) -> bytes:
    """genai-prices' feed is compact, keeps non-ASCII text as is, and ends with a newline."""
    return (json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


SUBSETS = {  # url -> (subset function, selection attribute)
    API: (subset_api, "modelsdev"),
    CATALOGUE: (subset_catalogue, "catalogue"),
    OPENROUTER: (subset_openrouter, "openrouter"),
    LITELLM: (subset_litellm, "litellm"),
    GENAI: (subset_genai, "genai"),
}


def check_serialisation(url: str, raw: bytes) -> None:
    """Refuse to write if this script's writer would not reproduce the whole recorded file.

    For LiteLLM, whose entries are cut as text, the check is that the cut entries rejoin into the same data.
    """
    if url == LITELLM:
        text = raw.decode("utf-8")
        spans = top_level_spans(text).values()
        same = json.loads("{\n" + ",\n".join("    " + text[slice(*s)] for s in spans) + "\n}\n") == json.loads(text)
    else:
        same = (dumps_genai if url == GENAI else dumps_modelsdev)(json.loads(raw)) == raw
    if not same:
        raise SystemExit(f"{url}: the recorded file is not serialised as this script assumes; fix its writer")


def build(label: str, recorded: Path, out_root: Path) -> dict[str, set]:
    """Write one demo snapshot; returns the ids found per selection attribute."""
    source = Manifest.model_validate_json((recorded / "manifest.json").read_bytes())
    by_url = {e.url: e for e in source.sources}
    root = out_root / label
    found: dict[str, set] = {}
    mine = []
    for url, (subset, attr) in SUBSETS.items():
        entry = by_url.get(url)
        if entry is None:
            continue  # the source did not exist on that date
        raw = (recorded / entry.file).read_bytes()
        check_serialisation(url, raw)
        body, found[attr] = subset(raw, wanted(attr))
        target = root / FILES[url]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        mine.append(SnapshotEntry(url=url, file=FILES[url], content_type=entry.content_type, as_of=entry.as_of,
                                  origin=f"subset of {entry.origin}, made by bench/make_demo_snapshot.py"))
    # Re-read just before writing: another writer may have added its entries meanwhile.
    path = root / "manifest.json"
    others = [e for e in Manifest.model_validate_json(path.read_bytes()).sources
              if e.url not in FILES] if path.is_file() else []
    write_manifest(root, label, others + mine)
    return found


def price_table(root: Path) -> dict[tuple[str, str], tuple]:
    """(source, id) -> (input, output, cache read) USD per million tokens, for the diff report."""
    manifest = Manifest.model_validate_json((root / "manifest.json").read_bytes())
    files = {e.url: root / e.file for e in manifest.sources}
    def per_mtok(value, scale=1):
        return None if value is None else (Decimal(str(value)) * scale).normalize()

    def per_token(value):
        return per_mtok(value, 1_000_000)

    table = {}
    if API in files:
        for pid, p in json.loads(files[API].read_bytes()).items():
            for mid, m in p["models"].items():
                cost = m.get("cost", {})
                key = ("models.dev", f"{pid}:{mid}")
                table[key] = tuple(per_mtok(cost.get(k)) for k in ("input", "output", "cache_read"))
    if OPENROUTER in files:
        for m in json.loads(files[OPENROUTER].read_bytes())["data"]:
            table[("openrouter", m["id"])] = tuple(per_token(m["pricing"].get(k))
                                                   for k in ("prompt", "completion", "input_cache_read"))
    if LITELLM in files:
        for k, m in json.loads(files[LITELLM].read_bytes()).items():
            if k != "sample_spec":
                table[("litellm", k)] = tuple(per_token(m.get(f)) for f in (
                    "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost"))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the recorded snapshots (../shared/snapshots)")
    parser.add_argument("--out", type=Path, default=ROOT / "snapshots")
    parser.add_argument("--diff", action="store_true", help="print price changes between demo-earlier and demo")
    parser.add_argument("--leaderboards", action="store_true", help="only (re)write the LMArena and Aider subsets")
    opts = parser.parse_args(argv)
    if opts.leaderboards:
        build_leaderboards(opts.out, opts.shared)
        return 0
    found: dict[str, set] = {}
    for label, recorded in BUILDS.items():
        for attr, ids in build(label, opts.shared / recorded, opts.out).items():
            found.setdefault(attr, set()).update(ids)
    missing = {attr: sorted(wanted(attr) - found.get(attr, set())) for _, attr in SUBSETS.values()}
    missing = {attr: ids for attr, ids in missing.items() if ids}
    if missing:  # a typo in SELECTION, or an id that exists on neither date
        print(f"selected ids found on neither date: {missing}", file=sys.stderr)
        return 1
    for label in BUILDS:
        sizes = {p.relative_to(opts.out / label).as_posix(): p.stat().st_size
                 for p in sorted((opts.out / label).rglob("*")) if p.is_file()}
        print(f"{label}: {sum(sizes.values()):,} bytes", *(f"  {n}: {s:,}" for n, s in sizes.items()), sep="\n")
    if opts.diff:
        before, after = price_table(opts.out / "demo-earlier"), price_table(opts.out / "demo")
        def show(prices):
            return "/".join("-" if v is None else format(v, "f") for v in prices)

        print("\nprice changes (input/output/cache read, USD per million tokens), demo-earlier -> demo:")
        for key in sorted(before.keys() & after.keys()):
            if before[key] != after[key]:
                print(f"  {key[0]:11} {key[1]:58} {show(before[key])} -> {show(after[key])}")
        for title, keys in (("only in demo-earlier", before.keys() - after.keys()),
                            ("only in demo (on the sources that both dates have)", after.keys() - before.keys())):
            print(f"\n{title}:", *(f"  {k[0]:11} {k[1]}" for k in sorted(keys)), sep="\n")
    return 0


# --- leaderboards ------------------------------------------------------------------------------
# The LMArena and Aider files are cut to the runs of the demo's models (names as each leaderboard
# writes them) and a few LMArena categories. demo-earlier takes them from 2025-11 (an earlier
# LMArena rating set, so replaying demo-earlier then demo shows real score history).
LMARENA = "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json"
AIDER = "https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"
LEADERBOARD_BUILDS = {"demo": "2026-08", "demo-earlier": "2025-11"}
LMARENA_CATEGORIES = ("full", "coding", "math", "hard_6", "creative_writing")
LMARENA_NAMES = ("claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929-thinking-32k",
                 "deepseek-r1", "deepseek-v3.2", "gemini-2.5-flash", "gemini-2.5-pro", "gemma-3-27b-it",
                 "llama-3.1-8b-instruct", "llama-3.3-70b-instruct", "mistral-large-2407", "mixtral-8x22b-instruct-v0.1",
                 "gpt-4o-mini-2024-07-18", "gpt-oss-120b", "o3-2025-04-16", "qwen3-32b", "qwen3-235b-a22b-instruct-2507")
AIDER_MODELS = ("gpt-4o-mini-2024-07-18", "o3", "o3 (high)", "gpt-oss-120b (high)", "DeepSeek R1", "DeepSeek R1 (0528)",
                "gemma-3-27b-it", "Qwen3 32B", "DeepSeek-V3.2-Exp (Chat)")


def subset_lmarena(raw: bytes) -> bytes:
    data = json.loads(raw)
    if json.dumps(data, indent=4).encode() != raw.rstrip(b"\n"):
        raise SystemExit("lmarena: the file is not serialised as json.dumps(indent=4) writes it")
    cut = {c: {n: data[c][n] for n in data[c] if n in LMARENA_NAMES} for c in data if c in LMARENA_CATEGORIES}
    return json.dumps(cut, indent=4).encode() + raw[len(raw.rstrip(b"\n")):]


def subset_aider(raw: bytes) -> bytes:
    """Whole YAML entries, as written, of the selected runs."""
    import yaml

    text = raw.decode()
    starts = [i for i in range(len(text)) if text.startswith("- dirname:", i) and (i == 0 or text[i - 1] == "\n")]
    spans = [text[s:e] for s, e in zip(starts, starts[1:] + [len(text)])]
    kept = [s for s in spans if yaml.safe_load(s)[0]["model"] in AIDER_MODELS]
    return "".join(kept).rstrip("\n").encode() + b"\n"


def build_leaderboards(out_root: Path, shared: Path) -> None:
    for label, recorded in LEADERBOARD_BUILDS.items():
        source = Manifest.model_validate_json((shared / recorded / "manifest.json").read_bytes())
        by_url = {e.url: e for e in source.sources}
        root = out_root / label
        mine = []
        for url, file, subset in ((LMARENA, "lmarena/leaderboard-text.json", subset_lmarena),
                                  (AIDER, "aider/polyglot_leaderboard.yml", subset_aider)):
            entry = by_url[url]
            target = root / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(subset((shared / recorded / entry.file).read_bytes()))
            mine.append(SnapshotEntry(url=url, file=file, content_type=entry.content_type, as_of=entry.as_of,
                                      origin=f"subset of {entry.origin} (../shared/snapshots/{recorded}), "
                                             "made by bench/make_demo_snapshot.py --leaderboards"))
        path = root / "manifest.json"
        others = [e for e in Manifest.model_validate_json(path.read_bytes()).sources if e.url not in (LMARENA, AIDER)]
        write_manifest(root, label, others + mine)
        print(f"{label}: leaderboards cut from {recorded}")


if __name__ == "__main__":
    sys.exit(main())
