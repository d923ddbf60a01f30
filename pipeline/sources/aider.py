"""Aider's polyglot coding leaderboard (`polyglot_leaderboard.yml` in the aider repository): one
YAML entry per run with the display name, the `command` that ran it (`aider --model <id>`), the
edit format, `pass_rate_1`/`pass_rate_2` (percent of the 225 exercises solved in one and in two
tries), `percent_cases_well_formed`, `total_cost`, `seconds_per_case`, `test_cases` and `date`.

The score is `pass_rate_2`, the leaderboard's headline figure. The source's id for a run's model
is the LiteLLM-style id its command names (`pipeline.leaderboard_names.aider_command`); the
setting is what the run varied (reasoning effort, thinking tokens, an architect/editor pair).
"""
from __future__ import annotations

from pipeline.benchmarks import lookup
from pipeline.leaderboard_names import aider_command
from pipeline.observation import Document, Extraction, SourceError

URL = "https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"
LEADERBOARD = "https://aider.chat/docs/leaderboards/"


def extract(doc: Document) -> Extraction:
    if doc.url != URL:
        raise SourceError(doc.source, doc.url, "not an Aider document this extractor knows")
    if doc.status >= 400:
        raise SourceError(doc.source, doc.url, f"HTTP {doc.status}")
    if doc.body.lstrip()[:1] == b"<":
        raise SourceError(doc.source, doc.url, "HTML served where YAML was expected")
    entries = doc.yaml()  # aliases refused
    if not isinstance(entries, list) or not entries:
        raise SourceError(doc.source, doc.url, "expected a list of runs at $")
    benchmark = lookup("aider-polyglot", metric="pass_rate_2")
    out = Extraction(doc)
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise SourceError(doc.source, doc.url, f"expected a mapping at $[{n}]")
        for key in ("model", "command", "pass_rate_2"):
            if key not in entry:
                raise SourceError(doc.source, doc.url, f"missing $[{n}].{key}")
        try:
            run = aider_command(str(entry["command"]), str(entry.get("model") or ""), entry.get("reasoning_effort"),
                                entry.get("thinking_tokens"), entry.get("edit_format"), entry.get("editor_model"))
        except ValueError as exc:
            out.reject(str(entry.get("model")), None, "benchmark:aider-polyglot", entry.get("command"), str(exc))
            continue
        detail = "; ".join(f"{label} {entry[key]}" for key, label in (
            ("edit_format", "edit format"), ("pass_rate_1", "pass rate first try"),
            ("percent_cases_well_formed", "well-formed %"), ("total_cost", "total cost USD"),
            ("seconds_per_case", "seconds per case")) if entry.get(key) is not None)
        out.add_benchmark(run.model, benchmark, entry["pass_rate_2"], setting=run.setting, harness="aider",
                          sample_size=entry.get("test_cases"), evaluated_at=entry.get("date"),
                          result_url=LEADERBOARD, source_row=str(entry.get("dirname") or n),
                          note=f"{entry['model']}; {detail}")
    return out
