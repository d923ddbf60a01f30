"""OpenRouter: the model list (`/api/v1/models`) and each model's endpoints
(`/api/v1/models/{author}/{slug}/endpoints`: the providers serving it, each with its own
prices and limits).

Prices are USD per token, as strings. A negative price ("-1", as the auto router has) means
variable or unknown and is rejected with that reason. `created` is when OpenRouter listed the
model, not when its vendor released it: it is read as `listed_at`, never as a release date.
`expiration_date`, where the API states one, is the route's retirement (`deprecation_date`).
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import partial
from typing import Any

from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources.common import Shape, is_negative, per_mtok, read

API = "https://openrouter.ai/api/v1/models"

PRICES = {"input_usd_per_mtok": "prompt", "output_usd_per_mtok": "completion",
          "cache_read_usd_per_mtok": "input_cache_read", "cache_write_usd_per_mtok": "input_cache_write"}


class Architecture(Shape):
    input_modalities: Any = None
    output_modalities: Any = None


class TopProvider(Shape):
    context_length: Any = None
    max_completion_tokens: Any = None


class Model(Shape):
    id: str
    name: Any = None
    created: Any = None
    expiration_date: Any = None
    context_length: Any = None
    knowledge_cutoff: Any = None
    hugging_face_id: Any = None
    architecture: Architecture | None = None
    pricing: dict[str, Any]
    supported_parameters: list[Any] | None = None
    top_provider: TopProvider | None = None


class ModelList(Shape):
    data: list[Model]


class Endpoint(Shape):
    provider_name: str
    tag: str | None = None
    context_length: Any = None
    max_completion_tokens: Any = None
    max_prompt_tokens: Any = None
    pricing: dict[str, Any]


class EndpointModel(Shape):
    id: str
    endpoints: list[Endpoint]


class EndpointList(Shape):
    data: EndpointModel


def extract(doc: Document) -> Extraction:
    out = Extraction(doc)
    if doc.url == API:
        for model in read(doc, ModelList).data:
            _emit_model(out, model)
    elif doc.url.startswith(API + "/") and doc.url.endswith("/endpoints"):
        model = read(doc, EndpointList).data
        for endpoint in model.endpoints:
            _emit_endpoint(out, model.id, endpoint)
    else:
        raise SourceError(doc.source, doc.url, "not an OpenRouter document this extractor knows")
    return out


def _emit_model(out: Extraction, model: Model) -> None:
    add = partial(out.add, model.id, "openrouter")
    architecture = model.architecture or Architecture()
    add("name", model.name)
    add("listed_at", _date(model.created), note="OpenRouter 'created': when OpenRouter listed it")
    add("deprecation_date", model.expiration_date, note="OpenRouter 'expiration_date'")
    add("knowledge_cutoff", model.knowledge_cutoff)
    add("context_window", model.context_length)
    add("max_output_tokens", (model.top_provider or TopProvider()).max_completion_tokens)
    _prices(out, model.id, "openrouter", model.pricing)
    add("hugging_face_id", model.hugging_face_id or None)
    add("input_modalities", architecture.input_modalities)
    add("output_modalities", architecture.output_modalities)
    if isinstance(architecture.input_modalities, list):
        add("supports_vision", "image" in architecture.input_modalities)
    params = model.supported_parameters
    if params is not None:  # the list is what the route accepts: a missing parameter is a "no"
        add("supports_function_calling", "tools" in params)
        add("supports_tool_use", "tools" in params)
        add("supports_structured_outputs", "structured_outputs" in params or "response_format" in params)
        add("supports_reasoning", "reasoning" in params)


def _emit_endpoint(out: Extraction, model_id: str, endpoint: Endpoint) -> None:
    provider_id = "openrouter/" + (endpoint.tag or endpoint.provider_name).strip().lower().replace(" ", "-")
    add = partial(out.add, model_id, provider_id)
    _prices(out, model_id, provider_id, endpoint.pricing)
    add("context_window", endpoint.context_length)
    add("max_output_tokens", endpoint.max_completion_tokens)
    add("max_input_tokens", endpoint.max_prompt_tokens)


def _prices(out: Extraction, model_id: str, provider_id: str, pricing: dict[str, Any]) -> None:
    for field, key in PRICES.items():
        raw = pricing.get(key)
        if is_negative(raw):
            out.reject(model_id, provider_id, field, raw, f"negative price {raw!r}: variable or unknown")
        else:
            out.add(model_id, provider_id, field, per_mtok(raw))


def _date(created: object) -> object:
    """Unix seconds as a UTC date; anything else is passed on to be rejected."""
    if isinstance(created, int) and not isinstance(created, bool):
        try:
            return datetime.fromtimestamp(created, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            pass
    return created
