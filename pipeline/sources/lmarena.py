"""LMArena's text leaderboard (`leaderboard-text.json` in the public arena-catalog repository):
per category ('full', 'coding', 'math', one key per language...), per model name, a rating with
its 95% interval (`rating_q025`, `rating_q975`).

The model names are LMArena's own ids; the setting a name carries ('-thinking-32k', '-high') is
read when the name is resolved (`pipeline.leaderboard_names`), not here. A category
`pipeline/benchmarks.yaml` does not list is rejected row by row; a document that is not a mapping
of categories to mappings of models is a SourceError.
"""
from __future__ import annotations

from typing import Any

from pipeline.benchmarks import lmarena_benchmark
from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources.common import read

URL = "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json"


def extract(doc: Document) -> Extraction:
    if doc.url != URL:
        raise SourceError(doc.source, doc.url, "not an LMArena document this extractor knows")
    out = Extraction(doc)
    board = read(doc, dict[str, dict[str, dict[str, Any]]])
    if not board:
        raise SourceError(doc.source, doc.url, "no categories at $")
    for category, models in board.items():
        benchmark = lmarena_benchmark(category)
        for name, row in models.items():
            if benchmark is None:
                out.add_benchmark(name, None, row.get("rating"), raw_name=f"LMArena category {category!r}")
                continue
            out.add_benchmark(name, benchmark, row.get("rating"), ci_low=row.get("rating_q025"),
                              ci_high=row.get("rating_q975"), sample_size=row.get("num_battles"),
                              result_url=benchmark.url)
    return out
