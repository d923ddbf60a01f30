"""The extractor registry and what every source shares: unusable documents and price units.

Also holds the helpers the other `test_sources_*` modules import."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources import EXTRACTORS, extract
from pipeline.sources.common import per_mtok

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FETCHED_AT = datetime(2026, 8, 22, 6, 0, tzinfo=timezone.utc)

URLS = {  # one real document of each source, with the fixture that excerpts it
    "modelsdev": ("https://models.dev/api.json", "modelsdev_api.json"),
    "openrouter": ("https://openrouter.ai/api/v1/models", "openrouter_models.json"),
    "litellm": ("https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
                "litellm.json"),
    "genai_prices": ("https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
                     "genai_prices.json"),
}
SNAPSHOT_SOURCES = {"https://models.dev/api.json": "modelsdev", "https://models.dev/models.json": "modelsdev",
                    **{url: source for source, (url, _) in URLS.items()}}


def document(source: str, url: str, body: bytes | str | object, as_of: str | None = None, status: int = 200) -> Document:
    """A fetched document; a body that is not bytes or text is serialized as JSON."""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return Document(source=source, url=url, fetched_at=FETCHED_AT, status=status, as_of=as_of,
                    sha256=hashlib.sha256(body).hexdigest(), body=body)


def fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def facts(extraction: Extraction) -> dict[tuple[str, str | None, str], object]:
    """(model_id, provider_id, field) -> value; fails on a fact stated twice. A price component
    (field price_usd_per_mtok) is keyed with its price key too: (model_id, provider_id, field, key)."""
    out = {}
    for o in extraction.observations:
        key = (o.model_id, o.provider_id, o.field) + ((o.price,) if o.price else ())
        assert key not in out, f"{key} observed twice"
        out[key] = o.value
    return out


def rejected(extraction: Extraction) -> dict[tuple[str | None, str | None, str | None], str]:
    return {(r.model_id, r.provider_id, r.field): r.reason for r in extraction.rejections}


def snapshot_document(snapshots: Path, label: str, url: str) -> Document:
    """The document a replayed crawl of snapshot `label` would land for `url`."""
    root = snapshots / label
    entry = next(e for e in json.loads((root / "manifest.json").read_text())["sources"] if e["url"] == url)
    body = (root / entry["file"]).read_bytes()
    return Document(source=SNAPSHOT_SOURCES[url], url=url, fetched_at=FETCHED_AT, as_of=entry["as_of"],
                    sha256=entry["sha256"], body=body)


def test_registry_names_every_source_by_its_spider_name():
    assert set(EXTRACTORS) >= {"modelsdev", "openrouter", "litellm", "genai_prices"}


def test_extract_dispatches_on_the_source():
    url, name = URLS["litellm"]
    result = extract(document("litellm", url, (FIXTURES / name).read_bytes()))
    assert result.observations and {o.source for o in result.observations} == {"litellm"}


def test_an_unknown_source_is_a_value_error():
    with pytest.raises(ValueError, match="no extractor for source 'nosuch'"):
        extract(document("nosuch", "https://example.com/x.json", {}))


@pytest.mark.parametrize("source", sorted(URLS))
def test_an_html_page_served_as_200_is_a_source_error(source):
    url, _ = URLS[source]
    page = "\n  <!DOCTYPE html><html><body><h1>Just a moment...</h1></body></html>"
    with pytest.raises(SourceError, match="HTML served where JSON was expected") as caught:
        extract(document(source, url, page))
    assert caught.value.url == url and caught.value.source == source


@pytest.mark.parametrize("source", sorted(URLS))
def test_truncated_json_is_a_source_error(source):
    url, name = URLS[source]
    body = (FIXTURES / name).read_bytes()
    with pytest.raises(SourceError, match="invalid JSON"):
        extract(document(source, url, body[: len(body) // 2]))


@pytest.mark.parametrize("source", sorted(URLS))
def test_an_http_error_document_is_a_source_error(source):
    url, name = URLS[source]
    with pytest.raises(SourceError, match="HTTP 503"):
        extract(document(source, url, (FIXTURES / name).read_bytes(), status=503))


def test_per_token_prices_become_exact_per_million_prices():
    assert per_mtok("0.000000015") == Decimal("0.015")
    assert per_mtok(1.5e-07) == Decimal("0.15")  # through the float's shortest repr, not binary
    assert per_mtok(3e-06) == Decimal(3)
    assert per_mtok(0) == 0
    assert per_mtok(None) is None
    assert per_mtok("n/a") == "n/a" and per_mtok(True) is True  # left for Extraction.add to reject
