"""A ComparisonRecord laid out once as blocks (headings, paragraphs, bullets, tables of inlines); pure.

Both page formats write these blocks: Markdown in `render`, HTML through the templates of `html`.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar
from urllib.parse import quote

from records import figures as fig
from records.schema import (CAPABILITIES, Candidate, ComparisonRecord, Conflict, Fact, ModelFacts, SideFigures,
                                    SourceDocument, cited_sources)

SPEC_LABELS = {
    "release_date": "Released",
    "context_window": "Context window",
    "max_output_tokens": "Max output tokens",
    "params_total": "Parameters (total)",
    "params_active": "Parameters (active)",
    "architecture": "Architecture",
    "license": "License",
    "knowledge_cutoff": "Knowledge cutoff",
    "open_weights": "Open weights",
}
_CAPABILITY_LABELS = tuple(label.capitalize() for label in CAPABILITIES.values())
PRICE_LABELS = {
    "input_usd_per_mtok": "input price (USD per 1M tokens)",
    "output_usd_per_mtok": "output price (USD per 1M tokens)",
    "cache_read_usd_per_mtok": "cached input price (USD per 1M tokens)",
}


@dataclass(frozen=True)
class Link:
    text: str
    href: str


Inline = str | Link | tuple  # a tuple is a sequence of inlines


# Blocks: some fifty per page, built afresh for each page and never changed (not frozen: a frozen
# dataclass sets each field through object.__setattr__, which doubles the cost of building one).
@dataclass(slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(slots=True)
class Para:
    content: Inline
    strong: bool = False


@dataclass(slots=True)
class Bullets:
    items: list


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[tuple]  # a tuple of cells (inlines, hashable: writers render a repeated cell once)
    row_ids: list[str] | None = None


# --- layout --------------------------------------------------------------------------------

T = TypeVar("T")


class _PerObject(Generic[T]):
    """Memoizes a pure layout function of record parts by their identity (they are unhashable).

    Records built in bulk (`warehouse.records.RecordBuilder`) share one frozen ModelFacts and
    SideFigures object per model across all its pairs, so a model's cells are laid out once rather
    than once per page. Entries hold weak references: a part that died, or a new part that reuses
    its id, is a miss. The memo is emptied when full."""

    def __init__(self, fn: Callable[..., T], size: int = 4096):
        self._fn, self._size, self._entries = fn, size, {}

    def __call__(self, *parts) -> T:
        key = tuple(map(id, parts))
        entry = self._entries.get(key)
        if entry is None or any(ref() is not part for ref, part in zip(entry[0], parts)):
            if len(self._entries) >= self._size:
                self._entries.clear()
            entry = self._entries[key] = tuple(map(weakref.ref, parts)), self._fn(*parts)
        return entry[1]


def field_label(field: str) -> str:
    if field == "release_date":
        return "release date"
    if field in SPEC_LABELS:
        return SPEC_LABELS[field].lower()
    if field in PRICE_LABELS:
        return PRICE_LABELS[field]
    cap = field.removeprefix("supports_")
    return CAPABILITIES.get(cap, field.replace("_", " "))


def describe_conflict(c: Conflict, m: ModelFacts) -> str:
    """`Sources disagree on the context window of X: a says 1; b says 2; used 1 from a (reason).`
    An implausible value: `Left out the ... of X: a says 1 (reason).`"""
    where = m.name if c.entity == m.model_id else f"{m.name} on {m.provider_name(c.entity.rpartition('@')[2])}"
    repeated = {k.source for k in c.candidates if sum(x.source == k.source for x in c.candidates) > 1}
    said = "; ".join(dict.fromkeys(f"{_who(k, k.source in repeated)} says {k.value if k.value is not None else 'nothing'}"
                                   for k in c.candidates))
    if not c.disagreement:
        return f"Left out the {field_label(c.field)} of {where}: {said} ({c.reason})."
    used = f"used {c.chosen} from {c.chosen_source}" if c.chosen is not None else "no value used"
    return f"Sources disagree on the {field_label(c.field)} of {where}: {said}; {used} ({c.reason})."


def _who(k: Candidate, qualify: bool) -> str:
    """A candidate's source as a conflict note names it: its provider entry (or id) where the source
    states several values, and a copy as a copy."""
    where = (k.provider or k.source_id) if qualify else None
    copy = f"copy of {k.copy_of}" if k.copy_of else None
    detail = ", ".join(x for x in (where, copy) if x)
    return f"{k.source} ({detail})" if detail else k.source


def _cite(sources: list[str], copies: list[str] = ()) -> tuple:
    return _citation(tuple(sources), tuple(copies)) if sources or copies else ()


@lru_cache(maxsize=4096)
def _citation(sources: tuple[str, ...], copies: tuple[str, ...] = ()) -> tuple:
    """` [a, b, c (copy of a)]`, each source linking to its row in the Sources table; a copy is
    named as a copy (`modelsdev (copy of openrouter)`), never as a second witness."""
    parts: list = [" ["]
    for i, s in enumerate((*sources, *copies)):
        parts += ([", "] if i else []) + [_source_link(s)]
    return tuple(parts + ["]"])


@lru_cache(maxsize=1024)
def _source_link(label: str) -> Link:
    """A link to the source's row in the Sources table (a copy's label links to its own source)."""
    return Link(label, f"#src-{_slug(label.split(' (', 1)[0])}")


@lru_cache(maxsize=1024)
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _spec_text(field: str, fact: Fact) -> str:
    v = fact.value
    if v is None:
        return "unknown"
    if field in ("context_window", "max_output_tokens"):
        return f"{fig.count(v)} ({fig.tokens(v)})"
    if field.startswith("params_"):
        return fig.parameters(v)
    if field == "open_weights":
        return "Yes" if v else "No"
    return str(v)


def _value_text(field: str, value: str) -> str:
    """A candidate's own value (stored as text) in the spec's display form: 128,000, 122.6B."""
    try:
        if field in ("context_window", "max_output_tokens"):
            return fig.count(int(value))
        if field.startswith("params_"):
            return fig.parameters(int(value))
    except ValueError:
        pass
    return value


def _nearby(field: str, fact: Fact) -> tuple:
    """`; litellm: 128,000`: sources whose own value is within tolerance of the one shown, yet not it."""
    by_value: dict[str, list[Candidate]] = {}
    for c in fact.nearby:
        if c.value is not None:
            by_value.setdefault(c.value, []).append(c)
    out: list = []
    for value in sorted(by_value, key=lambda v: (_value_text(field, v), v)):
        out.append("; ")
        sources, copies = cited_sources([c.model_copy(update={"exact": True}) for c in by_value[value]])
        for i, label in enumerate([*sources, *copies]):
            out += ([", "] if i else []) + [_source_link(label)]
        out.append(f": {_value_text(field, value)}")
    return tuple(out)


def _spec_cell(field: str, fact: Fact) -> tuple:
    disputed = (" (sources disagree: see Conflicts)",) if fact.disputed else ()
    near = _nearby(field, fact) if fact.value is not None else ()
    return (_spec_text(field, fact),) + _cite(fact.sources, fact.copies) + near + disputed


def _cheapest_cell(m: ModelFacts, figure) -> str:
    if figure is None:
        return "unknown (no priced route)"
    return f"{fig.usd_per_mtok(figure.usd)} on {fig.listing([m.provider_name(p) for p in figure.providers])}"


@dataclass(frozen=True)
class _SideCells:
    """One model's cells in the scorecard and the monthly-cost table."""

    scorecard: tuple[str, ...]  # decision fit, context window, cheapest input, output, blended, routes
    monthly: tuple[str, ...]  # a row of the monthly-cost table


@_PerObject
def _side_cells(m: ModelFacts, f: SideFigures) -> _SideCells:
    ctx = fig.tokens(f.context_window) + (" (disputed)" if m.specs.context_window.disputed else "")
    scorecard = (", ".join(f.decision_fit) or "none", ctx, _cheapest_cell(m, f.cheapest_input),
                 _cheapest_cell(m, f.cheapest_output), _cheapest_cell(m, f.blended), f"{f.routes} tracked")
    monthly = (m.name, fig.usd(f.monthly.usd) if f.monthly else "unknown",
               fig.listing([m.provider_name(p) for p in f.monthly.providers]) if f.monthly else "no priced route")
    return _SideCells(scorecard, monthly)


def _scorecard(r: ComparisonRecord, a: _SideCells, b: _SideCells) -> Table:
    n, one_sided = len(r.benchmarks.rows), r.benchmarks.only_a or r.benchmarks.only_b or r.benchmarks.not_comparable
    bench = f"{n} rows" + ("" if n or one_sided else " (none sourced)")
    labels = ("Decision fit", "Context window", "Cheapest input", "Cheapest output",
              f"Blended price ({r.traffic.blend_label})", "Provider routes")
    rows = [*zip(labels, a.scorecard, b.scorecard), ("Shared benchmarks", bench, bench)]
    return Table(["Signal", r.model_a.name, r.model_b.name], rows)


def _monthly(r: ComparisonRecord, a: _SideCells, b: _SideCells) -> list:
    t = r.traffic
    out: list = [Para(f"{fig.count(t.input_tokens_per_month)} input and {fig.count(t.output_tokens_per_month)} "
                      f"output tokens a month (a configurable profile), each model on its cheapest priced route; "
                      f"blended prices weigh input and output {r.traffic.blend_label}.")]
    out.append(Table(["Model", "Monthly cost", "Cheapest route"], [a.monthly, b.monthly]))
    if r.price.comparable and r.price.monthly_gap_usd:
        lower = r.model_a if r.side_a.monthly.usd < r.side_b.monthly.usd else r.model_b
        out.append(Para(f"Monthly gap: {fig.usd(r.price.monthly_gap_usd)}, lower for {lower.name}."))
    elif r.price.comparable:
        out.append(Para("Monthly gap: none."))
    else:
        out.append(Para("Monthly gap: unknown until both models have a sourced input and output price."))
    if r.profiles:
        out += _profiles(r)
    return out


def _profile_cell(m: ModelFacts, side) -> str:
    if side.usd is None:
        return "unknown: no priced route states " + fig.listing(side.unknown)
    return f"{fig.usd(side.usd)} on {fig.listing([m.provider_name(p) for p in side.providers], 'or')}"


def _profiles(r: ComparisonRecord) -> list:
    """Every workload profile, each model on its cheapest route for it (pipeline/profiles.yaml)."""
    rows = []
    for p in r.profiles:
        gap = "unknown" if p.gap_usd is None else (
            "none" if not p.gap_usd else
            f"{fig.usd(p.gap_usd)}, lower for {(r.model_a if p.lower_model == r.model_a.model_id else r.model_b).name}")
        rows.append((p.name, _profile_cell(r.model_a, p.a), _profile_cell(r.model_b, p.b), gap))
    return [Para("Workload profiles: a month of each, every model on its cheapest route for that profile, with tiered, "
                 "cached and batch prices where sources state them; a price no source states leaves the cost "
                 "unknown."),
            Table(["Profile", r.model_a.name, r.model_b.name, "Gap"], rows),
            Bullets([f"{p.name}: {p.description} {p.assumptions}." for p in r.profiles])]


def _money(v) -> str:
    return fig.usd_per_mtok(v) if v is not None else "unknown"


def _cited(usd, source: str | None) -> str:
    """A route's price, with the source stating it when the listing does not."""
    return _money(usd) + (f" ({source})" if source else "")


def _pricing_rows(m: ModelFacts) -> tuple[tuple, ...]:
    if not m.routes:
        return ((m.name, "none tracked", "", "", "", "", ""),)
    rows = []
    for rt in m.routes:
        note = ((" (free tier)" if rt.free_tier else "") + (" (disputed)" if rt.disputed else "")
                + (f" ({rt.deprecation_note})" if rt.deprecating else ""))
        rows.append((m.name, rt.provider, rt.route, _cited(rt.input_usd_per_mtok, rt.input_source) + note,
                     _cited(rt.output_usd_per_mtok, rt.output_source),
                     _cited(rt.cache_read_usd_per_mtok, rt.cache_read_source),
                     _source_link(rt.source + (" (catalogue only)" if rt.catalogue_only else ""))))
    return tuple(rows)


def _pricing(a: _ModelCells, b: _ModelCells) -> Table:
    rows = [*a.pricing, *b.pricing]
    return Table(["Model", "Provider", "Route", "Input", "Output", "Cached input", "Source"], rows)


def _capability_cell(m: ModelFacts, name: str) -> tuple:
    cap = m.capability_detail(name)
    if cap is None or cap.value == "unknown":
        return ("Unknown",)
    text = (cap.value.capitalize(),) + _cite(cap.sources or ([cap.source] if cap.source and not cap.copies else []),
                                             cap.copies)
    if cap.dissent:
        text += (f" (disputed by {', '.join(cap.dissent)})",)
    if cap.disputed:
        text += (" (sources disagree: see Conflicts)",)
    return text


@dataclass(frozen=True)
class _ModelCells:
    """What a page shows of one model's facts, whatever the other model is."""

    specs: tuple[tuple, ...]  # a cell per SPEC_LABELS field
    capabilities: tuple[tuple, ...]  # a cell per CAPABILITIES name
    pricing: tuple[tuple, ...]  # rows of the pricing table
    conflicts: tuple[str, ...]  # a note per conflict


@_PerObject
def _model_cells(m: ModelFacts) -> _ModelCells:
    return _ModelCells(specs=tuple(_spec_cell(f, getattr(m.specs, f)) for f in SPEC_LABELS),
                       capabilities=tuple(_capability_cell(m, n) for n in CAPABILITIES),
                       pricing=_pricing_rows(m),
                       conflicts=tuple(describe_conflict(c, m) for c in m.conflicts))


def _conflicts(a: _ModelCells, b: _ModelCells) -> list:
    notes = [*a.conflicts, *b.conflicts]
    return [Bullets(notes)] if notes else [Para("No source disagreements or values left out are recorded for "
                                                "these two models.")]


def _sources(r: ComparisonRecord) -> Table:
    return sources_table(r.sources)


def sources_table(documents: list[SourceDocument]) -> Table:
    """The Sources table: a row per document, the first of each source anchored `src-<source>`."""
    rows, ids = [], []
    seen = set()
    for d in documents:
        anchor = f"src-{_slug(d.source)}"
        ids.append(anchor if anchor not in seen else "")
        seen.add(anchor)
        rows.append((d.source, Link(d.url, d.url), d.as_of or "not stated",
                     d.fetched_at.date().isoformat() if d.fetched_at else "unknown"))
    return Table(["Source", "Document", "As of", "Fetched"], rows, ids)


def _interval(ci) -> str:
    return f" ({fig.score(ci[0])}-{fig.score(ci[1])})" if ci else ""


def _benchmarks(r: ComparisonRecord) -> list:
    """Shared rows (both scores, intervals, the gap and whether it is outside both intervals, the
    date and source), then benchmarks evaluated under different settings, then one-sided ones."""
    bench, a, b = r.benchmarks, r.model_a.name, r.model_b.name
    out: list = [Para(bench.note)]
    if bench.rows:
        rows = []
        for row in bench.rows:
            significance = ("no interval published" if row.outside_intervals is None
                            else "outside both intervals" if row.outside_intervals else "intervals overlap: no significant difference")
            rows.append((row.benchmark + (f" via {row.harness}" if row.harness else ""),
                         row.setting_a or "default", row.setting_b or "default",
                         fig.score(row.score_a) + _interval(row.ci_a), fig.score(row.score_b) + _interval(row.ci_b),
                         ("+" if row.difference > 0 else "") + fig.score(row.difference) + f" {row.unit}", significance,
                         row.as_of or "undated", Link(row.source, row.url) if row.url else row.source))
        out.append(Table(["Benchmark", f"Setting ({a})", f"Setting ({b})", a, b, "Difference (A - B)", "Significance",
                          "Date", "Source"], rows))
    if bench.not_comparable:
        out.append(Bullets(bench.not_comparable))
    one_sided = [f"Only {a} is evaluated on {x}." for x in bench.only_a] + \
                [f"Only {b} is evaluated on {x}." for x in bench.only_b]
    if one_sided:
        out.append(Bullets(one_sided))
    return out


def _reviewed(r: ComparisonRecord) -> str:
    sources = fig.listing(sorted(set(r.model_a.contributing_sources) | set(r.model_b.contributing_sources)))
    stale = "".join(f" Stale source: {s}, {why}." for s, why in r.stale_sources.items())
    if r.last_reviewed:
        return f"Last reviewed: {r.last_reviewed.isoformat()}, the latest run that fetched every source this " \
               f"page depends on ({sources}) successfully.{stale}"
    return (f"Last reviewed: not yet; no run has fetched every source this page depends on ({sources}) "
            f"successfully.{stale}")


@dataclass(frozen=True)
class ModelSections:
    """A model's own page (the site's model page): its facts as blocks, whatever it is compared with."""

    specs: Table
    capabilities: Table
    routes: Table
    conflicts: list


def model_sections(m: ModelFacts) -> ModelSections:
    cells = _model_cells(m)
    routes = [row[1:] for row in cells.pricing] if m.routes else []
    return ModelSections(
        specs=Table(["Specification", "Value"], list(zip(SPEC_LABELS.values(), cells.specs))),
        capabilities=Table(["Capability", "Value"], list(zip(_CAPABILITY_LABELS, cells.capabilities))),
        routes=Table(["Provider", "Route", "Input", "Output", "Cached input", "Source"], routes),
        conflicts=[Bullets(list(cells.conflicts))] if cells.conflicts else [
            Para("No source disagreements or values left out are recorded for this model.")])


def blocks(r: ComparisonRecord) -> list:
    """The page, top to bottom, independent of the output format."""
    a, b = r.model_a, r.model_b
    cells_a, cells_b = _model_cells(a), _model_cells(b)
    side_a, side_b = _side_cells(a, r.side_a), _side_cells(b, r.side_b)
    out: list = [Heading(r.title, 1), Para(r.verdict, strong=True),
                 Heading("Decision scorecard"), _scorecard(r, side_a, side_b),
                 Para("Context windows: K is 1,024 tokens for counts vendors give in powers of two (131,072 is "
                      "128K), else 1,000 (128,000 is 128K); exact counts are under Specs."),
                 Heading("Decision tradeoffs"), Bullets(r.tradeoffs),
                 Heading("Monthly cost at traffic"), *_monthly(r, side_a, side_b),
                 Heading("Switch friction"), Bullets(r.switch_friction.statements),
                 Heading("Specs"),
                 Table(["Specification", a.name, b.name],
                       list(zip(SPEC_LABELS.values(), cells_a.specs, cells_b.specs))),
                 Heading("Pricing and availability"), _pricing(cells_a, cells_b),
                 Para("USD per 1M tokens, active routes only. Free tiers (a free variant, or $0 input and output) "
                      "are rate-limited: listed, never used for cheapest prices or monthly cost. Cached-input "
                      "prices are shown; the headline estimate does not use them, the workload profiles do."),
                 Heading("Capabilities"),
                 Table(["Capability", a.name, b.name],
                       list(zip(_CAPABILITY_LABELS, cells_a.capabilities, cells_b.capabilities))),
                 Heading("Benchmarks"), *_benchmarks(r),
                 Heading("Deep dive"), *[Para(p) for p in r.deep_dive],
                 Heading("FAQ")]
    for q in r.faq:
        out += [Heading(q.question, 3), Para(q.answer)]
    out += [Heading("Conflicts between sources"), *_conflicts(cells_a, cells_b),
            Heading("Decision-fit rules"), Bullets([f"{k}: {v}." for k, v in r.decision_fit_rules.items()]),
            Heading("Sources"), _sources(r),
            Para(_reviewed(r))]
    return out


@lru_cache(maxsize=4096)
def safe_href(href: str) -> str | None:
    """The link target to publish, or None: in-page anchors and http(s) URLs (percent-quoted) only."""
    if href.startswith("#"):
        return href
    if re.match(r"^https?://", href, re.I):
        return quote(href, safe=":/?#[]@!$&'()*+,;=%~-._")
    return None
