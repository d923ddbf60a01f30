"""Build the static site: index, a page per tracked model, pair pages for a selection, sitemap.

Incremental: every page has a key, a digest of everything it shows (the warehouse's own change
hashes, citations, price history, review dates, its links, and the builder's code and templates).
A page whose key matches the previous build is hard-linked from it without being rendered; a
rendered page whose content hash matches is linked too. So a rebuild rewrites exactly the pages
whose content changed.

Atomic: pages go into a new build folder beside `out` (`.<name>.builds/<stamp>`); `out` is a
symbolic link that is swapped to the new build in one rename. A reader sees the old site or the
new one, never a mix; the previous build is kept (open files stay readable) and older ones go.
"""
from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb

from records import figures as fig
from records import charts, layout, render
from records.html import environment
from records.schema import CAPABILITIES, ComparisonRecord, TrafficProfile
from warehouse.export import model_slugs, shown_id, stored_traffic
from warehouse.forks import map_chunks
from warehouse.records import ModelNotFound, RecordBuilder, frozen, load_facts, resolve_model
from warehouse.runs import source_health
from warehouse.site import catalog
from warehouse.site.selection import HOW_CHOSEN, SELECTIONS, Candidate, nearest, pairs_file

MANIFEST = ".site-manifest.json"
DEFAULT_BASE_URL = "http://localhost:8000/"
PRICE_BANDS = (("0-0.5", "under $0.50/1M"), ("0.5-2", "$0.50 to $2/1M"), ("2-10", "$2 to $10/1M"),
               ("10-", "$10/1M and over"))
CONTEXT_BANDS = ((32000, "32K or more"), (128000, "128K or more"), (200000, "200K or more"),
                 (1000000, "1M or more"))
_INTERNAL = re.compile(r"^(\.\./)?[a-z0-9][a-z0-9.\-]*(/[a-z0-9][a-z0-9.\-]*)*\.(html|json)(#[a-z0-9\-]+)?$")


class SiteError(ValueError):
    """The site cannot be built as asked (a pairs file naming an unknown model, a bad --out)."""


@dataclass
class SiteReport:
    out: Path
    build: Path
    pages: int = 0  # html pages
    model_pages: int = 0
    pair_pages: int = 0
    rendered: int = 0  # pages whose key changed (rendered this time)
    written: int = 0  # files whose content changed (written this time)
    linked: int = 0  # files kept from the previous build (hard links)
    bytes: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def page_href(href: str) -> str | None:
    """A link the site may publish: its own relative pages, in-page anchors, http(s) URLs."""
    return href if _INTERNAL.match(href) else layout.safe_href(href)


@lru_cache(maxsize=1)
def site_environment():
    env = environment()
    env.filters["page_href"] = page_href
    return env


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the builder's code, templates and assets and of the record side it renders:
    a change to any of them makes every page's key change."""
    h = hashlib.sha256()
    for package in ("warehouse.site", "records"):
        root = resources.files(package)
        for path in sorted(_walk(root), key=str):
            h.update(str(path).rsplit(package.split(".")[-1], 1)[-1].encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _walk(root) -> Iterable:
    for item in root.iterdir():
        if item.is_dir():
            if item.name != "__pycache__":
                yield from _walk(item)
        elif item.name.endswith((".py", ".html", ".js", ".css", ".xml")):
            yield item


def _key(*parts) -> str:
    """A page key: the digest of its inputs (plain values: str, numbers, dates, Decimals, tuples)."""
    return hashlib.sha256(repr((code_version(), parts)).encode()).hexdigest()


# --- the pages ------------------------------------------------------------------------------

@dataclass
class Plan:
    """What one build publishes, before anything is rendered."""

    rows: list[catalog.IndexRow]
    slugs: dict[str, str]
    pairs: dict[tuple[str, str], list[str]]  # (a, b) -> why
    pair_rows: dict[tuple[str, str], tuple]
    digests: dict[str, str]
    reviewed: dict
    as_of: datetime | None
    traffic: TrafficProfile
    stale: dict[str, str] = field(default_factory=dict)  # source -> why it is stale

    def model_href(self, model_id: str, root: str = "") -> str:
        return f"{root}models/{self.slugs[model_id]}.html"

    def pair_href(self, a: str, b: str, root: str = "") -> str:
        return f"{root}pairs/{self.slugs[a]}--vs--{self.slugs[b]}.html"


def select_pairs(con: duckdb.DuckDBPyConnection, rows: list[catalog.IndexRow], selection: str,
                 config: Path | None) -> dict[tuple[str, str], list[str]]:
    """The pair pages to build: `nearest` (each model's nearest alternatives plus the pairs
    file), `config` (the pairs file only), `none`, or `all` (every pair in `comparisons`)."""
    if selection not in SELECTIONS:
        raise SiteError(f"unknown pair selection {selection!r}; choose from {', '.join(SELECTIONS)}")
    tracked = {r.model_id: r for r in rows}
    chosen: dict[tuple[str, str], list[str]] = {}
    if selection == "all":
        chosen = {(a, b): ["every pair of tracked models"] for a, b in con.execute(
            "SELECT model_a, model_b FROM comparisons ORDER BY 1, 2").fetchall()}
    elif selection == "nearest":
        chosen = nearest([Candidate(r.model_id, r.name, r.family, r.blended, frozenset(r.capabilities_yes), r.kind,
                                    frozenset(r.alias_candidates or ()))
                          for r in rows])
    if selection in ("nearest", "config"):
        spec, name = pairs_file(config)
        for i, entry in enumerate(spec.pairs):
            ids = []
            for side in ("a", "b"):
                given = getattr(entry, side)
                try:
                    model_id = resolve_model(con, given)
                except ModelNotFound as exc:
                    raise SiteError(f"{name}: pairs[{i}].{side}: {exc}") from None
                if model_id not in tracked:
                    raise SiteError(f"{name}: pairs[{i}].{side}: {given!r} ({model_id}) is not tracked "
                                    "(no priced route), so it has no page")
                ids.append(model_id)
            if ids[0] == ids[1]:
                raise SiteError(f"{name}: pairs[{i}]: {entry.a!r} and {entry.b!r} are the same model")
            if ids[1] in (tracked[ids[0]].alias_candidates or ()) or ids[0] in (tracked[ids[1]].alias_candidates or ()):
                raise SiteError(f"{name}: pairs[{i}]: {entry.a!r} is a moving alias that may name {entry.b!r} "
                                "(or the other way round): a model is not compared with its own names")
            kinds = [tracked[m].kind for m in ids]
            if kinds[0] != kinds[1] or kinds[0] is None:
                raise SiteError(f"{name}: pairs[{i}]: {entry.a!r} is {kinds[0] or 'of unknown kind'} and {entry.b!r} "
                                f"{kinds[1] or 'of unknown kind'}: only models of one kind are compared")
            why = f"named in {Path(name).name}" + (f": {entry.why}" if entry.why else "")
            chosen.setdefault(tuple(sorted(ids)), []).append(why)
    return chosen


def plan_site(con: duckdb.DuckDBPyConnection, selection: str = "nearest", config: Path | None = None) -> Plan:
    rows = catalog.index_rows(con)
    pairs = select_pairs(con, rows, selection, config)
    return Plan(rows=rows, slugs=model_slugs(con), pairs=pairs, pair_rows=catalog.pair_rows(con, list(pairs)),
                digests=catalog.model_digests(con), reviewed=catalog.model_last_reviewed(con),
                as_of=catalog.data_as_of(con), traffic=stored_traffic(con) or TrafficProfile(),
                stale={h.source: h.stale for h in source_health(con) if h.stale})


class Renderer:
    """Renders pages from facts loaded once, set-based, for the models of the pages to render."""

    def __init__(self, con: duckdb.DuckDBPyConnection, plan: Plan, model_ids: set[str]):
        self.plan, self.env = plan, site_environment()
        ids = sorted(model_ids)
        self.records = RecordBuilder(con, ids, plan.traffic) if ids else None
        self.histories = catalog.price_histories(con, ids) if ids else {}
        self.benchmarks = catalog.model_benchmarks(con, ids) if ids else {}
        self.components = catalog.price_components(con, ids) if ids else {}
        self.unit_prices = catalog.unit_prices(con, ids) if ids else {}
        self.rows = {r.model_id: r for r in plan.rows}
        self.as_of = plan.as_of or datetime.now(timezone.utc)
        self.as_of_text = self.as_of.date().isoformat()
        self.partners: dict[str, list[tuple[str, list[str]]]] = {}
        for (a, b), why in plan.pairs.items():
            self.partners.setdefault(a, []).append((b, why))
            self.partners.setdefault(b, []).append((a, why))

    def _histories(self, model_id: str, only: set[str] | None = None) -> list[charts.StepChart]:
        facts = self.records.facts[model_id]
        out = []
        for h in self.histories.get(model_id, []):
            if only is not None and h.provider_id not in only:
                continue
            title = f"{facts.name} on {facts.provider_name(h.provider_id)}, route {h.route} ({h.source})"
            out.append(charts.step_chart(title, h.periods, self.as_of))
        return out

    def model_page(self, model_id: str) -> str:
        plan, facts = self.plan, self.records.facts[model_id]
        row = self.rows[model_id]
        pairs = sorted(((self.rows[o].name, o, why) for o, why in self.partners.get(model_id, [])),
                       key=lambda p: (p[0].lower(), p[1]))
        links = [{"other": name, "href": plan.pair_href(*sorted((model_id, o)), "../"), "why": "; ".join(why)}
                 for name, o, why in pairs]
        reviewed = plan.reviewed.get(model_id)
        sources = ", ".join(facts.contributing_sources)
        reviewed_text = (f"Last reviewed: {reviewed.isoformat()}, the latest run that fetched every source this page "
                         f"depends on ({sources}) successfully." if reviewed else
                         f"Last reviewed: not yet; no run has fetched every source this page depends on ({sources}).")
        reviewed_text += "".join(f" Stale source: {s}, {why}." for s, why in sorted(plan.stale.items())
                                 if s in facts.contributing_sources)
        return self.env.get_template("model.html").render(
            title=f"{facts.name}: specs, prices and sources", root="../", as_of=self.as_of_text,
            name=facts.name, model_id=model_id, vendor=facts.vendor, family=facts.family, aliases=row.aliases,
            kind=(row.kind or "unknown").replace("_", " "),
            alias_of=[self.rows[m].name if m in self.rows else m for m in row.alias_candidates or ()],
            sections=layout.model_sections(facts), charts=self._histories(model_id),
            benchmarks=self.benchmarks.get(model_id, []), pairs=links, how_chosen=HOW_CHOSEN,
            components=[_component_row(facts, c) for c in self.components.get(model_id, [])],
            unit_prices=[_unit_price_row(facts, u) for u in self.unit_prices.get(model_id, [])],
            sources=layout.sources_table(self.records.documents.get(model_id, [])), reviewed=reviewed_text)

    def pair_record(self, a: str, b: str) -> ComparisonRecord:
        return self.records.record(a, b, self.plan.pair_rows.get((a, b), (None, None))[1])

    def pair_page(self, a: str, b: str, record: ComparisonRecord | None = None) -> str:
        plan = self.plan
        record = record or self.pair_record(a, b)
        blocks = layout.blocks(record)
        at = next(i for i, blk in enumerate(blocks) if isinstance(blk, layout.Heading) and blk.level == 2)
        cut = next(i for i, blk in enumerate(blocks) if isinstance(blk, layout.Heading) and blk.text == "Switch friction")
        names = [record.model_a.name, record.model_b.name]
        histories = []
        for m, side in ((a, record.side_a), (b, record.side_b)):
            histories += self._histories(m, set(side.blended.providers) if side.blended else set())
        return self.env.get_template("pair.html").render(
            title=record.title, root="../", as_of=self.as_of_text, head=blocks[:at], before=blocks[at:cut],
            after=blocks[cut:], reasons=plan.pairs[(a, b)], how_chosen=HOW_CHOSEN,
            href_a=plan.model_href(a, "../"), href_b=plan.model_href(b, "../"), name_a=names[0], name_b=names[1],
            monthly=charts.bar_chart(f"Monthly cost: {names[0]} and {names[1]}", names, monthly_profiles(record)),
            histories=histories)


def _component_row(facts, c: catalog.PriceComponent) -> tuple[str, ...]:
    """Provider, route, component, tier, applies to, price, source: one row of the components table."""
    applies = "every prompt" if not c.threshold_tokens else (
        f"prompts {'of' if c.threshold_inclusive else 'over'} {fig.count(c.threshold_tokens)} tokens"
        f"{' or more' if c.threshold_inclusive else ''}")
    if c.hours:
        applies += f", {c.hours}"
    return (facts.provider_name(c.provider_id), c.route, c.component.replace("_", " "), c.service_tier, applies,
            fig.usd_per_mtok(c.usd_per_mtok), c.source)


def _unit_price_row(facts, u: catalog.UnitPrice) -> tuple[str, ...]:
    """Provider, route, what is priced, price in its unit, source: one row of the other-units table."""
    return (facts.provider_name(u.provider_id), u.route, u.component.rsplit("_per_", 1)[0].replace("_", " "),
            fig.usd_per_unit(u.usd, u.component), u.source)


def monthly_profiles(record: ComparisonRecord) -> list[tuple[str, list[Decimal | None]]]:
    """Per workload profile (`record.profiles`), each side's monthly cost (USD) on its cheapest
    route for it; a record without profiles gives its one traffic profile."""
    if record.profiles:
        return [(p.name, [p.a.usd, p.b.usd]) for p in record.profiles]
    t = record.traffic
    label = f"{fig.count(t.input_tokens_per_month)} input and {fig.count(t.output_tokens_per_month)} output tokens"
    return [(label, [s.monthly.usd if s.monthly else None for s in (record.side_a, record.side_b)])]


def _index_page(plan: Plan) -> str:
    caps = {name: label for name, label in CAPABILITIES.items()}
    rows, providers, ratings = [], {}, False
    for r in plan.rows:
        providers.update(dict(r.providers))
        ratings = ratings or r.rating is not None
        rows.append({
            "model_id": r.model_id, "name": r.name, "vendor": r.vendor, "href": plan.model_href(r.model_id),
            "search": " ".join([r.model_id, r.name, r.vendor or "", *r.aliases]).lower(),
            "capabilities_yes": r.capabilities_yes, "blended": r.blended, "context_window": r.context_window,
            "open": {True: "yes", False: "no"}.get(r.open_weights, "unknown"),
            "provider_ids": " ".join(p for p, _ in r.providers),
            "context": fig.tokens(r.context_window), "price": fig.usd_per_mtok(r.blended),
            "where": fig.listing(r.blended_providers), "routes": r.routes,
            "caps_text": ", ".join(caps[c] for c in r.capabilities_yes if c in caps) or "none sourced",
            "open_text": {True: "Yes", False: "No"}.get(r.open_weights, "Unknown"),
            "rating": r.rating, "rating_text": _rating_text(r), "kind": (r.kind or "unknown kind").replace("_", " "),
            "alias": bool(r.alias_candidates)})
    points = [(r.name, r.blended, r.rating, plan.model_href(r.model_id)) for r in plan.rows if r.rating is not None]
    chart = charts.scatter("LMArena text rating against blended price", f"blended price, USD per 1M tokens "
                           f"({plan.traffic.blend_label}), log scale", "LMArena rating (full)", points)
    return site_environment().get_template("index.html").render(
        title=f"versus: {len(rows):,} tracked models", root="", rows=rows, ratings=ratings, chart=chart,
        as_of=(plan.as_of or datetime.now(timezone.utc)).date().isoformat(), blend=plan.traffic.blend_label,
        capabilities=list(caps.items()), price_bands=PRICE_BANDS, context_bands=CONTEXT_BANDS,
        providers=sorted(providers.items(), key=lambda p: p[1].lower()),
        pair_example=api_pair_path(plan.pair_href(*min(plan.pairs))) if plan.pairs else None)


def _rating_text(r: catalog.IndexRow) -> str:
    """`1,464 (1,461 to 1,468)`: the rating and its interval, to the point."""
    if r.rating is None:
        return "none"

    def whole(v) -> str:
        return fig.plain(Decimal(v).quantize(Decimal(1), ROUND_HALF_UP), 0)

    if r.rating_low is not None and r.rating_high is not None:
        return f"{whole(r.rating)} ({whole(r.rating_low)} to {whole(r.rating_high)})"
    return whole(r.rating)


def _sitemap(paths: list[str], base_url: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return site_environment().get_template("sitemap.xml").render(urls=[base + p for p in paths])


def _asset(name: str) -> bytes:
    return resources.files("records").joinpath("assets", name).read_bytes()


# --- build and publish ----------------------------------------------------------------------

def _builds_root(out: Path) -> Path:
    return out.parent / f".{out.name}.builds"


def _previous(out: Path) -> tuple[Path | None, dict]:
    if out.is_symlink():
        target = out.resolve()
        manifest = target / MANIFEST
        if manifest.is_file():
            return target, json.loads(manifest.read_text(encoding="utf-8"))
        return target, {}
    if out.exists():
        if out.is_dir() and not any(out.iterdir()):
            return None, {}
        raise SiteError(f"{out} exists and is not a site built by versus (a link to its builds); "
                        "remove it or choose another --out")
    return None, {}


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_site(con: duckdb.DuckDBPyConnection, out: str | Path, selection: str = "nearest",
               config: Path | None = None, base_url: str = DEFAULT_BASE_URL,
               progress: Callable[[str], None] | None = None, workers: int | None = None) -> SiteReport:
    """Build the site from the warehouse `con` into `out` (a symlink to the current build).

    Pages to render are rendered in `workers` forked processes (default: one per CPU, at most 4;
    none where forking is unsafe, see warehouse.forks) sharing the facts loaded once here."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out):
        return _build(con, out, selection, config, base_url, progress, workers)


@contextmanager
def _build_lock(out: Path):
    """One build of a site at a time (an flock beside it, dropped by the kernel if the holder dies):
    a second build would prune the first one's folder."""
    fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SiteError(f"another build of {out} is running") from None
        yield
    finally:
        os.close(fd)


def _build(con, out: Path, selection: str, config: Path | None, base_url: str,
           progress: Callable[[str], None] | None, workers: int | None) -> SiteReport:
    progress = progress or (lambda line: print(line, file=sys.stderr))
    started = time.perf_counter()
    previous, old = _previous(out)
    old_pages = old.get("pages", {})
    plan = plan_site(con, selection, config)
    timings = {"plan": time.perf_counter() - started}

    pages: list[tuple[str, str, tuple]] = []  # (path, key, (kind, args))
    partners: dict[str, list] = {}
    names = {r.model_id: r.name for r in plan.rows}
    for (a, b), why in plan.pairs.items():
        partners.setdefault(a, []).append((b, names[b], plan.slugs[b], why))
        partners.setdefault(b, []).append((a, names[a], plan.slugs[a], why))
    as_of_day = plan.as_of.date().isoformat() if plan.as_of else None
    traffic = plan.traffic.model_dump(mode="json")
    for r in plan.rows:
        m = r.model_id
        key = _key("model", m, plan.slugs[m], r.summary_hash, plan.digests.get(m), plan.reviewed.get(m), as_of_day,
                   r.aliases, sorted(partners.get(m, [])), traffic, sorted(plan.stale.items()))
        pages.append((plan.model_href(m), key, ("model", (m,))))
    for (a, b), why in sorted(plan.pairs.items()):
        content_hash, reviewed = plan.pair_rows.get((a, b), (None, None))
        key = _key("pair", a, b, plan.slugs[a], plan.slugs[b], names[a], names[b], content_hash, reviewed,
                   plan.digests.get(a), plan.digests.get(b), why, as_of_day, traffic, sorted(plan.stale.items()))
        pages.append((plan.pair_href(a, b), key, ("pair", (a, b))))

    def reusable(path: str, key: str) -> bool:
        return old_pages.get(path, {}).get("key") == key and previous is not None and (previous / path).is_file()

    def fresh(page: tuple[str, str, tuple]) -> bool:  # a pair page and its api/pairs JSON go together
        return all(reusable(path, page[1]) for path in _outputs(page))

    stale = [p for p in pages if not fresh(p)]
    needed = {m for _, _, (kind, args) in stale for m in args}
    load_started = time.perf_counter()
    renderer = frozen(lambda: Renderer(con, plan, needed)) if needed else None
    timings["load"] = time.perf_counter() - load_started

    root = _builds_root(out)
    root.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    build = root / f"{stamp}-{os.getpid()}"
    for folder in ("models", "pairs", "assets", "api/pairs", "api/schema"):
        (build / folder).mkdir(parents=True)
    report = SiteReport(out=out, build=build, model_pages=len(plan.rows), pair_pages=len(plan.pairs))
    writer = _Writer(build, previous, old_pages)
    manifest: dict[str, dict] = {}
    render_started = time.perf_counter()

    def count(path: str, entry: dict, action: str, rendered: bool) -> None:
        manifest[path] = entry
        report.bytes += entry.get("bytes", 0)
        report.rendered += rendered
        if action == "written":
            report.written += 1
        else:
            report.linked += 1

    html_paths = ["index.html"] + [p for p, _, _ in pages]
    global _JOB
    try:
        for page in pages:
            if fresh(page):
                for path in _outputs(page):
                    count(path, *writer.keep(path), False)
        _JOB = (renderer, writer)
        chunks = [stale[i:i + 100] for i in range(0, len(stale), 100)]
        workers = min(max(1, workers or os.cpu_count() or 1), 4)
        for results in map_chunks(_render_chunk, chunks, workers, ordered=False):
            for path, entry, action in results:
                count(path, entry, action, path.endswith(".html"))
        index_key = _key("index", [(r.model_id, r.name, r.summary_hash, r.aliases, r.rating, r.rating_low,
                                    r.rating_high, r.blended_providers, r.providers) for r in plan.rows],
                         as_of_day, traffic, min(plan.pairs) if plan.pairs else None)
        if reusable("index.html", index_key):
            count("index.html", *writer.keep("index.html"), False)
        else:
            count("index.html", *writer.put("index.html", index_key, _index_page(plan)), False)
        for path, key, content in _api_files(con, plan, renderer, partners):
            if reusable(path, key):
                count(path, *writer.keep(path), False)
            else:
                count(path, *writer.put(path, key, content() if callable(content) else content), False)
        for asset in ("site.css", "site.js"):
            count(f"assets/{asset}", *writer.put(f"assets/{asset}", None, _asset(asset)), False)
        count("sitemap.xml", *writer.put("sitemap.xml", None, _sitemap(html_paths, base_url)), False)
        (build / MANIFEST).write_text(json.dumps({"built_at": stamp, "code": code_version(), "pages": manifest},
                                                 indent=0, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)  # the published site was never touched
        raise
    finally:
        _JOB = None
        gc.unfreeze()
    report.pages = len(html_paths)
    timings["render"] = time.perf_counter() - render_started
    _swap(out, build)
    _prune(root, keep={build.name, previous.name if previous else ""})
    report.seconds = time.perf_counter() - started
    report.timings = timings
    progress(f"site: {report.pages:,} pages ({report.model_pages:,} models, {report.pair_pages:,} pairs) in "
             f"{report.seconds:.1f}s; rendered {report.rendered:,}, wrote {report.written:,} files, kept "
             f"{report.linked:,}; published {out}")
    return report


def api_pair_path(page: str) -> str:
    """`pairs/a--vs--b.html` -> `api/pairs/a--vs--b.json`: the record a pair page is rendered from."""
    return f"api/{page.removesuffix('.html')}.json"


def _outputs(page: tuple[str, str, tuple]) -> list[str]:
    path, _, (kind, _) = page
    return [path, api_pair_path(path)] if kind == "pair" else [path]


def _api_files(con, plan: Plan, renderer: Renderer | None, partners: dict[str, list]):
    """(path, key, content or a function making it) of api/models.json, api/aliases.json and the
    schemas. A key unchanged since the previous build links its file without building it."""
    from warehouse.site import api  # here, so that `python -m warehouse.site.api` runs it once
    rows = plan.rows
    ids = [r.model_id for r in rows]
    as_of = plan.as_of.isoformat() if plan.as_of else None
    pairs = {m: sorted(api_pair_path(plan.pair_href(*sorted((m, o)))) for o, *_ in partners.get(m, []))
             for m in ids}

    def models() -> str:
        loaded = renderer and set(ids) <= set(renderer.records.facts)
        facts = renderer.records.facts if loaded else load_facts(con, ids)
        components = renderer.components if loaded else catalog.price_components(con, ids)
        return api.to_json(api.ModelsPayload(as_of=plan.as_of, models=[
            api.model_entry(facts[r.model_id], r.kind, r.alias_candidates, plan.model_href(r.model_id),
                            components.get(r.model_id, []), pairs[r.model_id]) for r in rows]))

    models_key = _key("api/models", as_of, [(r.model_id, r.name, r.vendor, r.family, r.kind, r.alias_candidates,
                                             r.summary_hash, plan.digests.get(r.model_id), plan.slugs[r.model_id],
                                             pairs[r.model_id]) for r in rows])
    yield "api/models.json", models_key, models
    yield ("api/aliases.json", _key("api/aliases", as_of, sorted(ids), api.aliases_digest(con)),
           lambda: api.to_json(api.aliases_payload(con, plan.as_of, set(ids))))
    for name, schema in api.schemas().items():
        yield f"api/schema/{name}", None, api.schema_text(schema)


def build_site_file(db: str | Path, out: str | Path, progress: Callable[[str], None] | None = None,
                    selection: str = "nearest") -> SiteReport:
    """Build the site from the warehouse file `db`, opened read-only (the nightly run's step)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return build_site(con, out, selection, progress=progress)
    finally:
        con.close()


class _Writer:
    """Puts a page into the new build: a hard link to the previous build's file when the key or
    the content is the same, else the new content."""

    def __init__(self, build: Path, previous: Path | None, old_pages: dict[str, dict]):
        self.build, self.previous, self.old = build, previous, old_pages

    def keep(self, path: str) -> tuple[dict, str]:
        _link_or_copy(self.previous / path, self.build / path)
        return self.old[path], "linked"

    def put(self, path: str, key: str | None, content: str | bytes) -> tuple[dict, str]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data).hexdigest()
        entry = {"key": key, "sha256": digest, "bytes": len(data)}
        old = self.old.get(path)
        if old and old.get("sha256") == digest and self.previous and (self.previous / path).is_file():
            _link_or_copy(self.previous / path, self.build / path)
            return entry, "linked"
        (self.build / path).write_bytes(data)
        return entry, "written"


_JOB: tuple | None = None  # (Renderer, _Writer): what forked workers share, loaded before the fork


def _render_chunk(chunk: list[tuple[str, str, tuple]]) -> list[tuple[str, dict, str]]:
    renderer, writer = _JOB
    out = []
    for path, key, (kind, args) in chunk:
        if kind == "pair":  # the page and its record's JSON, from one record
            record = renderer.pair_record(*args)
            files = [(path, renderer.pair_page(*args, record)), (api_pair_path(path), render.to_json(record))]
        else:
            files = [(path, renderer.model_page(*args))]
        try:
            for name, content in files:
                out.append((name, *writer.put(name, key, content)))
        except OSError as exc:
            raise SiteError(f"cannot write the {kind} page of {' vs '.join(map(shown_id, args))} ({path}): "
                            f"{exc.strerror or exc}") from None
    return out


def _swap(out: Path, build: Path) -> None:
    """Point `out` at `build` in one rename (a symlink replaced atomically)."""
    if out.is_dir() and not out.is_symlink():
        out.rmdir()  # an empty folder (checked by _previous)
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(build, out.parent), link)
    os.replace(link, out)


def _prune(root: Path, keep: set[str]) -> None:
    for child in root.iterdir():
        if child.name not in keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
