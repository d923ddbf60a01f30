"""models.dev: `api.json` (each provider's offerings, with costs in USD per million tokens) and
`models.json` (model facts keyed 'vendor/model', no costs).

models.dev writes 0 for a limit it does not know, so a zero limit is left out rather than
emitted or rejected. A `status` of 'deprecated' carries no date: it yields `deprecated` (true),
never a `deprecation_date`; other statuses ('alpha', 'beta') say nothing about retirement.
Price components beyond the four base prices are `price_usd_per_mtok` observations:
`cost.tiers` ({input, output, cache_read, cache_write, tier: {size}}: the tier applies strictly
above `size` prompt tokens), the legacy `context_over_200k` (a tier above 200,000),
`input_audio`, `output_audio` and `reasoning`. The spelling variants `cached_input`,
`cache_input` and `cached_write` a few entries use are not read, nor `image`, `citation` and
`request`.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from pipeline.benchmarks import lookup
from pipeline.leaderboard_names import EFFORTS
from pipeline.observation import Document, Extraction, SourceError, add_price
from pipeline.sources.common import Shape, read

API = "https://models.dev/api.json"
MODELS = "https://models.dev/models.json"

PRICES = {"input_usd_per_mtok": "input", "output_usd_per_mtok": "output",
          "cache_read_usd_per_mtok": "cache_read", "cache_write_usd_per_mtok": "cache_write"}
TIER_KEYS = {"input": "input", "output": "output", "cache_read": "cache_read", "cache_write": "cache_write_5m",
             "input_audio": "input_audio", "output_audio": "output_audio", "reasoning": "output_reasoning"}
EXTRA_KEYS = {"input_audio": "input_audio", "output_audio": "output_audio", "reasoning": "output_reasoning"}
LIMITS = {"context_window": "context", "max_output_tokens": "output", "max_input_tokens": "input"}


class Entry(Shape):
    """One model as models.dev describes it; an absent key is None (unknown, not false)."""

    name: Any = None
    family: Any = None
    release_date: Any = None
    last_updated: Any = None
    knowledge: Any = None
    open_weights: Any = None
    reasoning: Any = None
    tool_call: Any = None
    structured_output: Any = None
    license: Any = None
    status: Any = None
    limit: dict[str, Any] = {}
    cost: dict[str, Any] | None = None
    modalities: dict[str, Any] = {}
    weights: list[dict[str, Any]] = []
    benchmarks: Any = None  # checked row by row: a changed shape here rejects rows, not the catalogue


class Provider(Shape):
    id: str
    models: dict[str, Entry]


def extract(doc: Document) -> Extraction:
    out = Extraction(doc)
    if doc.url == API:
        for provider_id, provider in read(doc, dict[str, Provider]).items():
            for model_id, entry in provider.models.items():
                _emit(out, model_id, provider_id, entry)
    elif doc.url == MODELS:
        for model_id, entry in read(doc, dict[str, Entry]).items():
            _emit(out, model_id, None, entry)
            _benchmarks(out, model_id, entry.benchmarks)
    else:
        raise SourceError(doc.source, doc.url, "not a models.dev document this extractor knows")
    return out


def _emit(out: Extraction, model_id: str, provider_id: str | None, entry: Entry) -> None:
    add = partial(out.add, model_id, provider_id)
    add("name", entry.name)
    add("family", entry.family)
    add("release_date", entry.release_date)
    add("last_updated", entry.last_updated)  # when models.dev last edited the entry: the audit's confirmation date
    add("knowledge_cutoff", entry.knowledge)
    for field, key in LIMITS.items():
        limit = entry.limit.get(key)
        add(field, None if limit == 0 else limit)  # 0 means unknown in models.dev
    for field, key in PRICES.items():
        add(field, (entry.cost or {}).get(key))
    if entry.cost:
        _components(out, model_id, provider_id, entry.cost)
    inputs = entry.modalities.get("input")
    add("input_modalities", inputs)
    add("output_modalities", entry.modalities.get("output"))
    if isinstance(inputs, list) and all(isinstance(m, str) for m in inputs):
        add("supports_vision", "image" in inputs)
        add("supports_multimodal_input", any(m != "text" for m in inputs))
    add("open_weights", entry.open_weights)
    add("supports_reasoning", entry.reasoning)
    add("supports_function_calling", entry.tool_call)
    add("supports_tool_use", entry.tool_call)
    add("supports_structured_outputs", entry.structured_output)
    add("hugging_face_id", _hugging_face_id(entry.weights))
    add("license", entry.license)
    if entry.status == "deprecated":
        add("deprecated", True, note="models.dev status 'deprecated'")


def _benchmarks(out: Extraction, model_id: str, rows: Any) -> None:
    """models.json `benchmarks`: name, score, metric, harness, dataset, version, variant (a reasoning
    effort, or on some rows the harness), date and source URL. The benchmark is the one
    `pipeline/benchmarks.yaml` matches on name, version, dataset and metric."""
    if rows is None:
        return
    if not isinstance(rows, list):
        out.reject(model_id, None, "benchmark", rows, "benchmarks is not a list of rows")
        return
    for n, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            out.reject(model_id, None, "benchmark", row, f"benchmarks[{n}] is not a row with a name")
            continue
        described = ", ".join(f"{k} {row[k]!r}" for k in ("version", "dataset", "metric") if row.get(k) is not None)
        benchmark = lookup(row["name"], row.get("version"), row.get("dataset"), row.get("metric"))
        variant = row.get("variant")
        effort = variant if isinstance(variant, str) and variant.lower() in EFFORTS else None
        harness = row.get("harness") or (variant if variant and not effort else None)
        out.add_benchmark(model_id, benchmark, row.get("score"), raw_name=f"{row['name']!r}" + (f" ({described})" if described else ""),
                          setting=effort, harness=harness, evaluated_at=row.get("date"),
                          result_url=row.get("source") if isinstance(row.get("source"), str) else None,
                          source_row=f"benchmarks[{n}]")


def _hugging_face_id(weights: list[dict[str, Any]]) -> str | None:
    """The repository of the one unquantized Hugging Face weights link, if there is exactly one."""
    prefix = "https://huggingface.co/"
    repos = [w["url"][len(prefix):].strip("/") for w in weights
             if isinstance(w.get("url"), str) and w["url"].startswith(prefix) and not w.get("quantization")]
    return repos[0] if len(repos) == 1 else None


def _components(out: Extraction, model_id: str, provider_id: str | None, cost: dict[str, Any]) -> None:
    for key, component in EXTRA_KEYS.items():
        add_price(out, model_id, provider_id, cost.get(key), component=component)
    tiers = cost.get("tiers") or []
    if not isinstance(tiers, list):
        out.reject(model_id, provider_id, "price_usd_per_mtok", tiers, "cost.tiers is not a list")
        tiers = []
    if isinstance(cost.get("context_over_200k"), dict):
        tiers = [*tiers, {**cost["context_over_200k"], "tier": {"size": 200_000}}]
    for tier in tiers:
        size = (tier.get("tier") or {}).get("size") if isinstance(tier, dict) else None
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            out.reject(model_id, provider_id, "price_usd_per_mtok", tier, "cost tier: tier.size is not a positive integer")
            continue
        for key, component in TIER_KEYS.items():
            add_price(out, model_id, provider_id, tier.get(key), component=component, threshold_tokens=size)
