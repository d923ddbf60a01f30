"""One pure extractor per source: a fetched Document in, an Extraction (observations and
rejections) out. `EXTRACTORS` maps a source name, as its spider is named, to its function."""
from __future__ import annotations

from typing import Callable

from pipeline.observation import Document, Extraction
from pipeline.sources import genai_prices, litellm, modelsdev, openrouter
from pipeline.sources import aider, huggingface, lmarena, pricing_pages

EXTRACTORS: dict[str, Callable[[Document], Extraction]] = {
    "modelsdev": modelsdev.extract,
    "openrouter": openrouter.extract,
    "litellm": litellm.extract,
    "genai_prices": genai_prices.extract,
    "huggingface": huggingface.extract,
    "pricing_pages": pricing_pages.extract,
    "lmarena": lmarena.extract,
    "aider": aider.extract,
}


def extract(doc: Document) -> Extraction:
    """Dispatch on `doc.source`; a source without an extractor is a ValueError."""
    try:
        extractor = EXTRACTORS[doc.source]
    except KeyError:
        raise ValueError(f"no extractor for source {doc.source!r}") from None
    return extractor(doc)
