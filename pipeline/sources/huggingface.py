"""Hugging Face model repos: the Hub API's model info, the model card (README.md) and config.json.

Three documents per repo, each read on its own (model_id is the repo id, provider_id is None):
- API (`/api/models/{repo}?expand...`): license from the card metadata, params_total from the
  safetensors header count, gated, created_date, base_model.
- README.md: front matter (license, base_model), the card's name, and what its text states:
  total and active parameters ("119B parameters, with 6.5B activated"), and a YaRN `rope_scaling`
  snippet that extends the context window.
- config.json: architecture (moe when the config counts experts), num_experts, experts_per_token,
  native_context_window (`max_position_embeddings`, in `text_config` for multimodal configs),
  extended_context_window from `rope_scaling`, and params_active counted from layer shapes for
  the decoder families `count_parameters` knows.
Gated (401/403) and missing documents are recorded by the spider and never reach `extract`.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from urllib.parse import quote, unquote, urlsplit

import yaml

from pipeline.identity.aliases import REPO_ID
from pipeline.observation import Document, Extraction, SourceError, payload_yaml
from pipeline.sources.common import Shape, read

HUB = "https://huggingface.co"
# Scrapy escapes "[]" in a request URL, so the escaped form is the one a snapshot replays.
EXPAND = "&".join(f"expand%5B%5D={p}" for p in ("safetensors", "cardData", "config", "gated", "createdAt", "tags"))

# Hub license ids -> SPDX id, or the license's proper name where SPDX has none.
LICENSES = {
    "apache-2.0": "Apache-2.0", "mit": "MIT", "bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause",
    "cc0-1.0": "CC0-1.0", "cc-by-4.0": "CC-BY-4.0", "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0", "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0", "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
    "gpl-3.0": "GPL-3.0-only", "lgpl-3.0": "LGPL-3.0-only", "agpl-3.0": "AGPL-3.0-only", "mpl-2.0": "MPL-2.0",
    "unlicense": "Unlicense", "openrail": "OpenRAIL", "creativeml-openrail-m": "CreativeML OpenRAIL-M",
    "llama2": "Llama 2 Community License", "llama3": "Llama 3 Community License",
    "llama3.1": "Llama 3.1 Community License", "llama3.2": "Llama 3.2 Community License",
    "llama3.3": "Llama 3.3 Community License", "llama4": "Llama 4 Community License",
    "gemma": "Gemma Terms of Use",
}
# `license: other` names its license in `license_name`.
LICENSE_NAMES = {
    "mrl": "Mistral Research License", "mnpl": "Mistral AI Non-Production License",
    "qwen": "Qwen License", "qwen-research": "Qwen Research License", "tongyi-qianwen": "Tongyi Qianwen License",
    "deepseek": "DeepSeek License", "health-ai-developer-foundations": "Health AI Developer Foundations Terms of Use",
}

EXPERT_COUNTS = ("num_local_experts", "n_routed_experts", "num_experts")
EXPERTS_PER_TOKEN = ("num_experts_per_tok", "experts_per_token", "moe_topk")
ROPE = ("rope_scaling", "rope_parameters")


def document_urls(repo: str) -> tuple[str, str, str]:
    """The three documents of a repo: API model info, model card, config."""
    if not REPO_ID.match(repo):
        raise ValueError(f"not a Hugging Face repo id: {repo!r}")
    path = quote(repo, safe="/")
    return (f"{HUB}/api/models/{path}?{EXPAND}", f"{HUB}/{path}/raw/main/README.md",
            f"{HUB}/{path}/raw/main/config.json")


def _kind(doc: Document) -> tuple[str, str]:
    parts = urlsplit(doc.url)
    path = unquote(parts.path)
    if parts.netloc == "huggingface.co":
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)", path):
            return "api", m[1]
        if m := re.fullmatch(r"/([^/]+/[^/]+)/raw/main/(README\.md|config\.json)", path):
            return ("card" if m[2] == "README.md" else "config"), m[1]
    raise SourceError(doc.source, doc.url, "not a Hugging Face model info, README.md or config.json URL")


def extract(doc: Document) -> Extraction:
    if doc.status >= 400:
        raise SourceError(doc.source, doc.url, f"HTTP {doc.status}")
    kind, repo = _kind(doc)
    result = Extraction(doc)
    {"api": _api, "card": _card, "config": _config}[kind](doc, repo, result)
    return result


# --- API model info ---------------------------------------------------------------------------

class ModelInfo(Shape):
    """`/api/models/{repo}` with expansions: only the expanded properties, besides `_id` and `id`."""

    id: str
    safetensors: dict | None = None
    cardData: dict | None = None
    config: dict | None = None


def _api(doc: Document, repo: str, result: Extraction) -> None:
    info = read(doc, ModelInfo)
    extra = info.model_extra or {}
    if info.id != repo:
        result.add(repo, None, "hugging_face_id", info.id, note=f"the Hub answers {repo} with {info.id}")
    if info.safetensors is not None:
        result.add(repo, None, "params_total", info.safetensors.get("total"), note="safetensors total")
    if info.safetensors is not None or info.config is not None:
        result.add(repo, None, "open_weights", True, note="weights published on the Hugging Face Hub")
    if info.cardData is not None:
        _front_matter_facts(repo, info.cardData, result, "card metadata")
    gated = extra.get("gated")
    if gated in (False, True, "auto", "manual"):
        result.add(repo, None, "gated", bool(gated), note=f"gated: {gated}")
    elif gated is not None:
        result.reject(repo, None, "gated", gated, "expected false, 'auto' or 'manual'")
    result.add(repo, None, "created_date", extra.get("createdAt"))


def _front_matter_facts(repo: str, meta: dict, result: Extraction, where: str) -> None:
    license_value = meta.get("license")
    if license_value is not None:
        name, note = _license(license_value, meta.get("license_name"), where)
        if name is None:
            result.reject(repo, None, "license", license_value, note)
        else:
            result.add(repo, None, "license", name, note=note)
    _pipeline_tag(repo, meta.get("pipeline_tag"), result, where)
    base = meta.get("base_model")
    bases = base if isinstance(base, list) else [base] if base is not None else []
    for value in bases:
        result.add(repo, None, "base_model", value,
                   note=f"{where} base_model" + (f" ({len(bases)} listed)" if len(bases) > 1 else ""))


# The Hub's task tags that say what a model takes in and gives out: (input, output modalities).
PIPELINE_TAGS = {"text-generation": (["text"], ["text"]),
                 "image-text-to-text": (["text", "image"], ["text"]),
                 "audio-text-to-text": (["text", "audio"], ["text"]),
                 "video-text-to-text": (["text", "video"], ["text"]),
                 "any-to-any": (None, None)}


def _pipeline_tag(repo: str, tag: object, result: Extraction, where: str) -> None:
    """A card's `pipeline_tag`: a text-generation model takes text only (vision No); an
    image-text-to-text one takes images (vision Yes). Other tags claim nothing here."""
    if not isinstance(tag, str) or PIPELINE_TAGS.get(tag, (None, None))[0] is None:
        return
    inputs, outputs = PIPELINE_TAGS[tag]
    note = f"{where} pipeline_tag: {tag}"
    result.add(repo, None, "input_modalities", inputs, note=note)
    result.add(repo, None, "output_modalities", outputs, note=note)
    result.add(repo, None, "supports_vision", "image" in inputs, note=note)


def _license(value: object, license_name: object, where: str) -> tuple[str | None, str]:
    if not isinstance(value, str) or not value.strip():
        return None, f"{where} license is not a license id"
    key = value.strip().lower()
    if key == "other":
        if not isinstance(license_name, str) or not license_name.strip():
            return None, f"{where} license is 'other' without a license_name"
        name = LICENSE_NAMES.get(license_name.strip().lower())
        note = f"{where} license: other, license_name: {license_name}"
        return (name, note) if name else (license_name.strip(), note + " (not in versus' license table)")
    if key in LICENSES:
        return LICENSES[key], f"{where} license: {value}"
    return value.strip(), f"{where} license: {value} (not in versus' license table)"


# --- README.md --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*\r?$", re.S | re.M)
_H1 = re.compile(r"^#[ \t]+(?P<title>\S.*?)[ \t#]*$", re.M)
_PARAMS = re.compile(
    r"(?P<total>\d+(?:\.\d+)?)\s?B\s+(?:total\s+)?(?:parameters?\s*)?(?:in\s+total\s*)?,?\s*"
    r"(?:with|and)\s+(?:only\s+)?(?P<active>\d+(?:\.\d+)?)\s?B\s+(?:active|activated)\b", re.I)
_TITLE_ACTIVE = re.compile(r"\bA(?P<active>\d+(?:\.\d+)?)B\b")  # "119B A6B": 6B active, the MoE naming habit
_CARD_ROPE = re.compile(r'"rope_scaling"\s*:\s*(\{[^{}]*\})')


def front_matter(doc: Document) -> tuple[dict, str]:
    """The card's YAML front matter (empty without one) and the Markdown after it."""
    text = doc.body.decode("utf-8", errors="replace")
    if re.match(r"\s*<(!doctype|html)\b", text, re.I):  # a card may open with <div>, not with a page
        raise SourceError(doc.source, doc.url, "HTML served where a Markdown model card was expected")
    if not text.lstrip("\ufeff").startswith("---"):
        return {}, text
    match = _FRONT.match(text)
    if match is None:
        raise SourceError(doc.source, doc.url, "README front matter opens with '---' but never closes")
    try:
        meta = payload_yaml(match["yaml"])  # aliases refused
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""  # +1 for 0-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(doc.source, doc.url, f"README front matter is not valid YAML{where}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(doc.source, doc.url, "README front matter is not a YAML mapping")
    return meta, text[match.end():]


def _card(doc: Document, repo: str, result: Extraction) -> None:
    meta, text = front_matter(doc)
    _front_matter_facts(repo, meta, result, "front matter")
    prose = _outside_code(text)
    if title := _H1.search(prose):
        name = re.sub(r"^model card for\s+", "", title["title"].strip(), flags=re.I)
        result.add(repo, None, "name", name, note="card title")
        if named := _TITLE_ACTIVE.search(title["title"]):
            result.add(repo, None, "params_active", Decimal(named["active"]) * 10**9,
                       note=f"card title names A{named['active']}B")
    if params := _PARAMS.search(prose.replace("*", "").replace("`", "")):
        total, active = params["total"], params["active"]
        result.add(repo, None, "params_total", Decimal(total) * 10**9, note=f"card states {total}B total")
        result.add(repo, None, "params_active", Decimal(active) * 10**9, note=f"card states {active}B active")
    for snippet in _CARD_ROPE.findall(text):
        try:
            rope = json.loads(snippet)
        except ValueError:
            continue
        extended = _scaled(rope, None)
        if extended:
            value, how = extended
            result.add(repo, None, "extended_context_window", value, note=f"card: {how}")
            break


def _outside_code(text: str) -> str:
    return re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)


# --- config.json ------------------------------------------------------------------------------

# config.json keys that hold a vision encoder (LLaVA's vision_tower, Qwen2-VL's vision_config...).
VISION_KEYS = ("vision_config", "vision_tower", "mm_vision_tower", "visual", "vision_encoder", "img_processor")
# Any top-level key that mentions images: a causal LM config with one is not claimed text-only
# (Phi-3-vision is 'Phi3VForCausalLM' with an 'img_processor').
IMAGE_WORDS = re.compile(r"vision|visual|image|img|vit|mm_|patch|llava", re.I)
VISION_ARCHITECTURE = re.compile(r"(?:\dV|VL|V)ForCausalLM")  # 'Phi3VForCausalLM', 'MiniCPMVForCausalLM'


def _vision(repo: str, config: dict, result: Extraction) -> None:
    """A config with a vision encoder takes images; one whose architectures are all causal
    language models ('Qwen2ForCausalLM') and that names nothing about images takes text only."""
    vision = next((k for k in VISION_KEYS if config.get(k) is not None), None)
    architectures = config.get("architectures")
    if vision:
        result.add(repo, None, "supports_vision", True, note=f"config has {vision}")
    elif isinstance(architectures, list) and architectures and all(
            isinstance(a, str) and a.endswith("ForCausalLM") and not IMAGE_WORDS.search(a)
            and not VISION_ARCHITECTURE.search(a) for a in architectures) \
            and not any(IMAGE_WORDS.search(k) for k in config):
        result.add(repo, None, "supports_vision", False,
                   note=f"config: {', '.join(architectures)}, no vision encoder")


def _config(doc: Document, repo: str, result: Extraction) -> None:
    config = read(doc, dict[str, object])
    _vision(repo, config, result)
    text, prefix = _text_config(config)
    native = text.get("max_position_embeddings")
    result.add(repo, None, "native_context_window", native, note=f"config {prefix}max_position_embeddings")
    rope = next((text[k] for k in ROPE if isinstance(text.get(k), dict)), None)
    if rope is not None and (extended := _scaled(rope, native)):
        value, how = extended
        if not isinstance(native, int) or value > native:
            result.add(repo, None, "extended_context_window", value, note=f"config {prefix}{how}")
    experts_key = next((k for k in EXPERT_COUNTS if isinstance(text.get(k), int) and text[k] > 1), None)
    if experts_key is None:
        result.add(repo, None, "architecture", "dense", note="config: no expert counts")
        return
    experts = text[experts_key]
    per_token_key = next((k for k in EXPERTS_PER_TOKEN if text.get(k) is not None), None)
    per_token = text[per_token_key] if per_token_key else None
    shared = text.get("n_shared_experts") or text.get("num_shared_experts")
    counts = f"{per_token} of {experts} experts" + (f" (+{shared} shared)" if shared else "")
    result.add(repo, None, "architecture", "moe", note=f"config: {counts}")
    result.add(repo, None, "num_experts", experts, note=f"config {prefix}{experts_key}")
    result.add(repo, None, "experts_per_token", per_token, note=f"config {prefix}{per_token_key}")
    if isinstance(per_token, int) and (active := count_parameters(text, per_token)):
        result.add(repo, None, "params_active", active, note=f"config: {counts}, counted from layer shapes")


def _text_config(config: dict) -> tuple[dict, str]:
    text = config.get("text_config")
    if isinstance(text, dict) and "max_position_embeddings" not in config:
        return text, "text_config."
    return config, ""


def _scaled(rope: dict, native: object) -> tuple[int, str] | None:
    """Context window reached by a rope scaling `factor` over its original positions."""
    factor = rope.get("factor")
    base = rope.get("original_max_position_embeddings", native)
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not isinstance(base, int) or factor <= 1:
        return None
    kind = rope.get("rope_type") or rope.get("type") or "rope"
    value = int(Decimal(repr(factor)) * base)
    return value, f"rope_scaling {kind}: factor {factor:g} x {base}"


# Decoder families whose parameters follow from the config: attention, SwiGLU MLP or experts, norms.
COUNTED_FAMILIES = {"llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe"}


def count_parameters(config: dict, experts_per_layer: int | None = None) -> int | None:
    """Parameters of a decoder config, with `experts_per_layer` experts counted in each MoE layer
    (all of them when None: the total); None for a family whose layer shapes are not known here."""
    c = config
    if c.get("model_type") not in COUNTED_FAMILIES:
        return None
    try:
        h, layers, vocab = c["hidden_size"], c["num_hidden_layers"], c["vocab_size"]
        heads = c["num_attention_heads"]
        kv = c.get("num_key_value_heads") or heads
        head_dim = c.get("head_dim") or h // heads
        attention = h * heads * head_dim * 2 + h * kv * head_dim * 2
        if c["model_type"] == "qwen2" or c.get("attention_bias"):
            attention += heads * head_dim + 2 * kv * head_dim + (h if c.get("attention_bias") else 0)
        if c["model_type"] in ("qwen3", "qwen3_moe"):
            attention += 2 * head_dim  # q_norm, k_norm
        experts = next((c[k] for k in EXPERT_COUNTS if isinstance(c.get(k), int) and c[k] > 1), 0)
        counted = experts if experts_per_layer is None else experts_per_layer
        expert_size = c.get("moe_intermediate_size") or c["intermediate_size"]
        sparse_step = c.get("decoder_sparse_step") or 1
        dense_only = set(c.get("mlp_only_layers") or [])
        total = vocab * h * (1 if c.get("tie_word_embeddings") else 2) + h
        for i in range(layers):
            if experts and i not in dense_only and (i + 1) % sparse_step == 0:
                mlp = experts * h + counted * 3 * h * expert_size
            else:
                mlp = 3 * h * c["intermediate_size"]
            total += attention + mlp + 2 * h
        return total
    except (KeyError, TypeError):
        return None
