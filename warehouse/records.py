"""Comparison records from the warehouse: facts per model loaded set-based, records built purely.

Citations come from `lineage`, reconciliation's record of which observation supports which
published value: a spec value or capability cites the independent sources that state exactly that
value (a value within tolerance is shown as its source's own; a copy, per precedence.yaml
`derived`, is shown as a copy), every statement is kept as a candidate with its URL and as-of, and
the record's sources are the documents behind any lineage row of either model (with as-of and
fetch dates from `raw_documents`).
"""
from __future__ import annotations

import difflib
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

import duckdb

from records.build import build_record, side_figures
from warehouse.costs import profile_sides, routes_of
from warehouse.runs import source_health
from records.schema import (CAPABILITIES, BenchmarkScore, Candidate, Capability, ComparisonRecord, Conflict,
                                    ModelFacts, Route, SourceDocument, Specs, TrafficProfile, cited_sources)

SPEC_FIELDS = tuple(Specs.model_fields)
_ENTITY_MODEL = "CASE WHEN contains(entity, '@') THEN regexp_extract(entity, '^(.*)@', 1) ELSE entity END"
T = TypeVar("T")



FEW = 4  # up to this many ids go into a query as constants: DuckDB then reads only their rows of views and scans


def _among(column: str, ids: list[str]) -> tuple[str, list]:
    """SQL for `column` among `ids`, and its parameters: constants for a pair's few ids (`versus
    compare`), a list join for many (a site build or an export)."""
    if 0 < len(ids) <= FEW:
        return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)
    return f"{column} IN (SELECT unnest(?))", [ids]


def _entities_of(ids: list[str]) -> tuple[str, list]:
    """A prefilter on lineage.entity for a few model ids (the model, and its 'model@provider'
    routes), else nothing: the exact test is on the model part (_ENTITY_MODEL)."""
    if not 0 < len(ids) <= FEW:
        return "true", []
    return ("(entity IN (" + ", ".join("?" * len(ids)) + ") OR "
            + " OR ".join(["starts_with(entity, ?)"] * len(ids)) + ")"), [*ids, *(f"{m}@" for m in ids)]


class ModelNotFound(LookupError):
    """A name matched no model, or more than one; `matches` are the closest candidates."""

    def __init__(self, name: str, matches: list[str], ambiguous: bool = False):
        self.name, self.matches, self.ambiguous = name, matches, ambiguous
        what = "is ambiguous; it names" if ambiguous else "matches no model; closest:"
        super().__init__(f"{name!r} {what} {', '.join(matches) if matches else '(nothing similar)'}")


def not_comparable(con: duckdb.DuckDBPyConnection, a: str, b: str) -> str | None:
    """Why two models are not compared (None when they are): one is another's moving alias, or
    they are of two kinds (models.kind: a chat model is never compared with a speech model)."""
    rows = dict(con.execute("SELECT model_id, {'kind': kind, 'names': alias_candidates} FROM models "
                            "WHERE model_id IN (?, ?)", [a, b]).fetchall())
    ka, kb = (rows.get(m, {}).get("kind") for m in (a, b))
    if b in (rows.get(a, {}).get("names") or []) or a in (rows.get(b, {}).get("names") or []):
        return f"{a} is a moving alias that may name {b} (or the other way round): a model is not compared with its own names"
    if ka != kb or ka is None:
        what = lambda k: (k or "unknown").replace("_", " ")  # noqa: E731
        return (f"{a} is of kind {what(ka)} and {b} of kind {what(kb)}: versus compares models of one kind only "
                "(models.kind)")
    return None


def resolve_model(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """Canonical id for a canonical id, an alias (a source's own id) or a display name (any case)."""
    if con.execute("SELECT 1 FROM models WHERE model_id = ?", [name]).fetchone():
        return name
    found = [r[0] for r in con.execute("""
        SELECT DISTINCT model_id FROM (
            SELECT model_id FROM models WHERE lower(model_id) = lower($1) OR lower(name) = lower($1)
            UNION ALL
            SELECT model_id FROM model_aliases WHERE model_id IS NOT NULL AND lower(source_id) = lower($1))
        ORDER BY 1""", [name]).fetchall()]
    if len(found) == 1:
        return found[0]
    if found:
        raise ModelNotFound(name, [_label(con, m) for m in found], ambiguous=True)
    names = dict(con.execute("""SELECT lower(model_id), model_id FROM models UNION ALL
        SELECT lower(name), model_id FROM models UNION ALL
        SELECT lower(source_id), model_id FROM model_aliases WHERE model_id IS NOT NULL""").fetchall())
    close = difflib.get_close_matches(name.lower(), names, n=8, cutoff=0.5)
    ids = list(dict.fromkeys(names[c] for c in close))[:5]
    raise ModelNotFound(name, [_label(con, m) for m in ids])


def _label(con: duckdb.DuckDBPyConnection, model_id: str) -> str:
    name = con.execute("SELECT name FROM models WHERE model_id = ?", [model_id]).fetchone()[0]
    return f"{name} ({model_id})"


def _conflicts(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[Conflict]]:
    out: dict[str, list[Conflict]] = defaultdict(list)
    (prefilter, first), (among, then) = _entities_of(ids), _among("model_id", ids)
    rows = con.execute(f"""
        SELECT * FROM (
            SELECT {_ENTITY_MODEL} AS model_id, entity, field, candidates, chosen, chosen_source, reason, category
            FROM conflicts WHERE {prefilter})
        WHERE {among} ORDER BY entity, field""", [*first, *then]).fetchall()
    for model_id, entity, field, candidates, chosen, chosen_source, reason, category in rows:
        out[model_id].append(Conflict(entity=entity, field=field, candidates=[Candidate(**c) for c in candidates or []],
                                      chosen=chosen, chosen_source=chosen_source, reason=reason, category=category))
    return out


def _statements(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[tuple[str, str, str], list[Candidate]]:
    """Every source's own statement behind each model and capability value, from `lineage`, with
    its document's URL and as-of: (entity type, model id, field) -> candidates; exact statements
    of the published value first, then those within tolerance, then the rest."""
    out: dict[tuple[str, str, str], list[Candidate]] = defaultdict(list)
    among, params = _among("l.entity", ids)
    for kind, model_id, field, source, provider, source_id, value, agrees, exact, copy_of, url, as_of in con.execute(f"""
            SELECT l.entity_type, l.entity, l.field, l.source, l.source_provider_id, l.source_id, l.value,
                   l.chosen, coalesce(l.exact, l.chosen), l.copy_of, l.url, d.as_of
            FROM lineage l
            LEFT JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
            WHERE l.entity_type IN ('model', 'capability') AND {among}
            ORDER BY l.entity, l.field, NOT coalesce(l.exact, l.chosen), NOT l.chosen, l.source,
                     l.source_provider_id NULLS FIRST, l.source_id, l.value, l.url, l.observed_field""", params).fetchall():
        out[kind, model_id, field].append(Candidate(
            source=source, source_id=source_id, value=value, provider=provider, copy_of=copy_of, url=url,
            as_of=as_of, agrees=agrees, exact=exact))
    return out


def _dissent(candidates: list[Candidate], agreeing: set[str]) -> list[str]:
    """Who states the opposite: a copy as a copy; a source that also agrees, by its provider entry."""
    labels = set()
    for c in candidates:
        if c.agrees is False:
            labels.add(c.label if c.copy_of else
                       f"{c.source} ({c.provider} entry)" if c.source in agreeing and c.provider else c.source)
    return sorted(labels)


def _capabilities(con: duckdb.DuckDBPyConnection, ids: list[str], disputed: dict[str, set[str]],
                  statements: dict[tuple[str, str, str], list[Candidate]]) -> dict[str, list[Capability]]:
    """All of CAPABILITIES per model, unknown where no row says otherwise. A yes or no cites the
    independent sources stating that value (copies shown as copies) and names those stating the opposite."""
    found: dict[str, dict[str, Capability]] = defaultdict(dict)
    for model_id, name, value, source in con.execute("""
            SELECT model_id, capability, value, source
            FROM model_capabilities WHERE model_id IN (SELECT unnest(?))""", [ids]).fetchall():
        candidates = statements.get(("capability", model_id, name), []) if value in ("yes", "no") else []
        sources, copies = cited_sources(candidates)
        found[model_id][name] = Capability(
            name=name, value=value, source=source,
            sources=sources or ([source] if source and not copies else []), copies=copies,
            dissent=_dissent(candidates, set(sources)), candidates=candidates,
            disputed=bool({name, f"supports_{name}"} & disputed.get(model_id, set())))
    unknown = {n: Capability(name=n) for n in CAPABILITIES}  # frozen, so shared by every model lacking a row
    return {m: [found[m].get(n, unknown[n]) for n in CAPABILITIES] for m in ids}


def _routes(con: duckdb.DuckDBPyConnection, ids: list[str], disputed: set[str]) -> dict[str, list[Route]]:
    """Routes per model (active preferred offerings: a retired route is not active; a deprecating one
    is, with its warning); `disputed`: model@provider entities with a conflict."""
    out: dict[str, list[Route]] = defaultdict(list)
    for row in con.execute("""
            SELECT o.model_id, o.provider_id, coalesce(p.name, o.provider_id), o.route, o.source, o.variant,
                   own['input'], own['output'], own['cache_read'], o.context_window,
                   o.status = 'deprecating', o.retired_on, coalesce(o.catalogue_only, false),
                   (SELECT map_from_entries(list((x.component, {'usd': x.usd_per_mtok, 'source': x.source})))
                    FROM route_price_rows() x
                    WHERE x.model_id = o.model_id AND x.provider_id = o.provider_id
                      AND x.variant IS NOT DISTINCT FROM o.variant AND x.component IN ('input', 'output', 'cache_read')
                      AND x.service_tier = 'standard' AND x.threshold_tokens = 0) AS route_base
            FROM offering_listings o LEFT JOIN providers p USING (provider_id)
            -- the listing's own base prices: its current listing_price rows (what offerings shows)
            LEFT JOIN (SELECT model_id, provider_id, source, route,
                              map_from_entries(list((component, usd_per_mtok))) AS own
                       FROM offering_prices x WHERE x.valid_to IS NULL AND is_listing_price(x)
                       GROUP BY ALL) l USING (model_id, provider_id, source, route)
            WHERE o.active AND coalesce(o.preferred, true) AND o.model_id IN (SELECT unnest(?))
            ORDER BY o.model_id, lower(coalesce(p.name, o.provider_id)), o.route, o.source""", [ids]).fetchall():
        model_id, provider_id = row[0], row[1]
        # the listing's own base prices, else the route's preferred ones (offering_prices: the rows the
        # cost engine and the pair SQL read), cited when another source states them
        (inp, inp_source), (out_, out_source), (cache, cache_source) = (
            _own_else_route(row[i], (row[13] or {}).get(component))
            for i, component in ((6, "input"), (7, "output"), (8, "cache_read")))
        out[model_id].append(Route(
            provider_id=provider_id, provider=row[2], route=row[3], source=row[4], variant=row[5],
            input_usd_per_mtok=inp, input_source=inp_source, output_usd_per_mtok=out_, output_source=out_source,
            cache_read_usd_per_mtok=cache, cache_read_source=cache_source,
            context_window=row[9], disputed=f"{model_id}@{provider_id}" in disputed,
            deprecating=bool(row[10]), retired_on=row[11], catalogue_only=row[12]))
    return out


def _own_else_route(own, route: dict | None) -> tuple:
    """(price, the source to cite or None): the listing's own price, else the route's preferred one."""
    if own is not None or route is None:
        return own, None
    return route["usd"], route["source"]


def load_facts(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str]) -> dict[str, ModelFacts]:
    """ModelFacts for each known id (unknown ids are left out), a fixed number of queries."""
    ids = sorted(set(model_ids))
    conflicts = _conflicts(con, ids)
    disputed: dict[str, set[str]] = defaultdict(set)  # model id -> fields with a conflict
    disputed_routes: set[str] = set()  # model@provider entities with a conflict
    for model_id, items in conflicts.items():
        for c in items:
            if not c.disagreement:
                continue
            if c.entity == model_id:
                disputed[model_id].add(c.field)
            else:
                disputed_routes.add(c.entity)
    statements = _statements(con, ids)
    capabilities = _capabilities(con, ids, disputed, statements)
    routes = _routes(con, ids, disputed_routes)
    sources = dict(con.execute("""
        SELECT model_id, list_sort(list_distinct(list(source))) FROM (
            SELECT model_id, source FROM model_aliases UNION ALL SELECT model_id, source FROM offering_listings)
        WHERE model_id IN (SELECT unnest(?)) GROUP BY model_id""", [ids]).fetchall())
    columns = ", ".join(SPEC_FIELDS)
    out = {}
    for row in con.execute(f"SELECT model_id, name, vendor, family, {columns} FROM models "
                           "WHERE model_id IN (SELECT unnest(?))", [ids]).fetchall():
        model_id, values = row[0], dict(zip(SPEC_FIELDS, row[4:]))
        specs = Specs(**{f: _fact(v, statements.get(("model", model_id, f), []), f in disputed.get(model_id, set()))
                         for f, v in values.items()})
        out[model_id] = ModelFacts(
            model_id=model_id, name=row[1], vendor=row[2], family=row[3], specs=specs,
            capabilities=capabilities[model_id], routes=routes.get(model_id, []),
            conflicts=conflicts.get(model_id, []), contributing_sources=sources.get(model_id, []))
    return out


def _fact(value, candidates: list[Candidate], disputed: bool) -> dict:
    """A spec value (a plain dict: Specs validates it into its Fact[date], Fact[int]... once): cited
    to the independent sources stating exactly this value; every source's statement as a candidate."""
    sources, copies = cited_sources(candidates) if value is not None else ([], [])
    return {"value": value, "sources": sources, "copies": copies, "disputed": disputed, "candidates": candidates}


def load_documents(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str]) -> dict[str, list[SourceDocument]]:
    """Per model, the documents behind its lineage rows (model, capability and offering values)."""
    out: dict[str, list[SourceDocument]] = defaultdict(list)
    ids = sorted(set(model_ids))
    (prefilter, first), (among, then) = _entities_of(ids), _among("l.model_id", ids)
    for model_id, source, url, as_of, fetched in con.execute(f"""
            SELECT DISTINCT l.model_id, d.source, d.url, d.as_of, d.last_fetched_at
            FROM (SELECT {_ENTITY_MODEL} AS model_id, source, url, document_sha256 FROM lineage WHERE {prefilter}) l
            JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
            WHERE {among} ORDER BY 1, 2, 3""", [*first, *then]).fetchall():
        out[model_id].append(SourceDocument(source=source, url=url, as_of=as_of, fetched_at=fetched))
    return out


_SCORE_COLUMNS = ("benchmark_id", "benchmark", "metric", "unit", "higher_is_better", "significance", "setting",
                  "harness", "score", "ci_low", "ci_high", "evaluated_at", "as_of", "source", "url", "copy_of")


def load_scores(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str]) -> dict[str, list[BenchmarkScore]]:
    """Per model, its current benchmark scores (view benchmark_scores), with the document's as-of."""
    out: dict[str, list[BenchmarkScore]] = defaultdict(list)
    among, params = _among("s.model_id", sorted(set(model_ids)))
    for row in con.execute(f"""
            SELECT s.model_id, s.benchmark_id, s.benchmark, s.metric, s.unit, s.higher_is_better, s.significance,
                   s.setting, s.harness, s.score, s.ci_low, s.ci_high, s.evaluated_at, d.as_of, s.source, s.url, s.copy_of
            FROM benchmark_scores s
            LEFT JOIN raw_documents d ON d.source = s.source AND d.url = s.document_url AND d.sha256 = s.document_sha256
            WHERE {among} ORDER BY ALL""", params).fetchall():
        out[row[0]].append(BenchmarkScore(**dict(zip(_SCORE_COLUMNS, row[1:]))))
    return out


def load_benchmark_documents(con: duckdb.DuckDBPyConnection, model_ids: Iterable[str]) -> dict[str, list[SourceDocument]]:
    """Per model, the documents its benchmark scores come from."""
    out: dict[str, list[SourceDocument]] = defaultdict(list)
    among, params = _among("s.model_id", sorted(set(model_ids)))
    for model_id, source, url, as_of, fetched in con.execute(f"""
            SELECT DISTINCT s.model_id, d.source, d.url, d.as_of, d.last_fetched_at
            FROM benchmark_scores s
            JOIN raw_documents d ON d.source = s.source AND d.url = s.document_url AND d.sha256 = s.document_sha256
            WHERE {among} ORDER BY 1, 2, 3""", params).fetchall():
        out[model_id].append(SourceDocument(source=source, url=url, as_of=as_of, fetched_at=fetched))
    return out


def last_reviewed(con: duckdb.DuckDBPyConnection, a: str, b: str) -> date | None:
    """The pair's last_reviewed: stored in `comparisons`, or, for a pair the table does not hold (it
    stores the pairs people read), the macro `pair_last_reviewed`'s, as `compare_pair` gives it."""
    return con.execute("SELECT pair_last_reviewed(?, ?)", [a, b]).fetchone()[0]


BULK_MODELS = 50  # fewer models' facts load in a few thousand objects: no collection worth pausing


@contextmanager
def _bulk_load(models: int) -> Iterator[None]:
    """Loading the facts of many models creates some 150,000 long-lived, acyclic objects (pydantic
    models with their lists and field sets). Automatic collections would walk the growing heap
    several times during the load, and once more at some point of the rendering that follows;
    instead the collector is paused and the heap walked once, at the end of the load. Nothing is
    done for a few models (one pair: the walk alone cost 17 ms of `versus compare`'s ~110 ms) or
    when the caller has paused the collector itself (`warehouse.export` freezes the facts instead)."""
    if models < BULK_MODELS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
    gc.collect()


def frozen(make: Callable[[], T]) -> T:
    """`make()`, its objects frozen (gc.freeze) until the caller unfreezes them (gc.unfreeze). Facts
    that live as long as a bulk export or site build are left out of garbage collections, which
    would otherwise walk them all and, in forked workers, copy every heap page they occupy. The
    collector stays off while they load (so RecordBuilder skips its own collection)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        made = make()
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return made


class RecordBuilder:
    """Builds records for many pairs from facts loaded once for all their models."""

    def __init__(self, con: duckdb.DuckDBPyConnection, model_ids: Iterable[str], traffic: TrafficProfile | None = None):
        ids = set(model_ids)
        self.traffic = traffic or TrafficProfile()
        with _bulk_load(len(ids)):
            self.facts = load_facts(con, ids)
            self.documents = load_documents(con, ids)
            self.scores = load_scores(con, ids)
            self.bench_documents = load_benchmark_documents(con, ids)
            self.figures = {m: side_figures(f, self.traffic) for m, f in self.facts.items()}
            routes = routes_of(con, list(self.facts))
            self.profiles = {m: profile_sides(routes.get(m, [])) for m in self.facts}
        self.stale = {h.source: h.stale for h in source_health(con) if h.stale}

    def record(self, a: str, b: str, reviewed: date | None = None) -> ComparisonRecord:
        scores = (self.scores.get(a, []), self.scores.get(b, []))
        documents = self.documents.get(a, []) + self.documents.get(b, [])
        if scores[0] and scores[1]:  # the documents of benchmark rows, when any row can be shared
            documents += self.bench_documents.get(a, []) + self.bench_documents.get(b, [])
        return build_record(self.facts[a], self.facts[b], documents, self.traffic, reviewed,
                            (self.figures[a], self.figures[b]), (self.profiles[a], self.profiles[b]), scores,
                            self.stale)


def pair_record(con: duckdb.DuckDBPyConnection, a: str, b: str,
                traffic: TrafficProfile | None = None) -> ComparisonRecord:
    """The record of canonical ids `a` against `b` (A first), with the pair's last_reviewed."""
    return RecordBuilder(con, [a, b], traffic).record(a, b, last_reviewed(con, a, b))
