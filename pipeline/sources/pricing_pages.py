"""Providers' HTML pricing pages: price tables read by configuration (`pipeline/pricing_pages.yaml`).

One generic parser serves every page: the configuration says which table to read and which columns
(by header text) hold the model and its prices. A page whose layout no longer matches (no such table,
a header gone) raises SourceError naming the URL and what is missing, so only that page fails and
the warehouse keeps its last good prices. model_id is the model as the page writes it, also recorded as the
row's `name` (the provider's name for the model: the display name where no vendor, catalogue or
aggregator names it); provider_id is the configured provider.
"""
from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from pydantic import BaseModel, ConfigDict, Field

from pipeline import curated
from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources.price_cells import Unit, clean, read_cell, strip_footnotes

PRICE_FIELDS = {"input": "input_usd_per_mtok", "output": "output_usd_per_mtok",
                "cache_read": "cache_read_usd_per_mtok", "cache_write": "cache_write_usd_per_mtok"}


class TableSpec(BaseModel):
    """How to find the price table(s): a CSS selector, and a header text the table must contain."""

    model_config = ConfigDict(extra="forbid")
    selector: str = "table"
    header: str | None = None


class Columns(BaseModel):
    """Header texts of the columns holding the model and its prices."""

    model_config = ConfigDict(extra="forbid")
    model: str
    input: str
    output: str
    cache_read: str | None = None
    cache_write: str | None = None


class Page(BaseModel):
    """One entry of `pricing_pages.yaml`."""

    model_config = ConfigDict(extra="forbid")
    provider_id: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")
    table: TableSpec = TableSpec()
    columns: Columns
    unit: Unit = "per_million"


class PagesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pages: list[Page]


class ConfigError(ValueError):
    """The pages file is invalid: names the file, the entry and its line (read by `pipeline.curated`)."""


def load_pages(path: str | Path | None = None) -> dict[str, Page]:
    """The configured pages by URL, from `path` or the packaged `pipeline/pricing_pages.yaml`."""
    if path is None:
        source = resources.files("pipeline").joinpath("pricing_pages.yaml")
        name, text = "pipeline/pricing_pages.yaml", source.read_text()
    else:
        name, text = str(path), Path(path).read_text()
    try:
        parsed = curated.load_text(text, name, PagesFile)
    except curated.CuratedFileError as exc:
        raise ConfigError(_message(name, exc)) from None
    pages: dict[str, Page] = {}
    for page in parsed.pages:
        if page.url in pages:
            raise ConfigError(f"{name}: {page.url} is configured twice")
        pages[page.url] = page
    return pages


def _message(name: str, exc: curated.CuratedFileError) -> str:
    """The first bad entry's problems: `name: entry N (url) at line L: field: problem; ...`."""
    if not exc.errors:  # not valid YAML: curated's message says so
        return str(exc)
    loc = exc.errors[0]["loc"]
    where = ""
    if len(loc) >= 2 and loc[0] == "pages" and isinstance(loc[1], int):
        entry = exc.data["pages"][loc[1]]
        url = entry.get("url") if isinstance(entry, dict) else None
        where = f" entry {loc[1] + 1}{f' ({url})' if url else ''} at line {curated.line(exc.node, loc[:2])}"
    same = [e for e in exc.errors if e["loc"][:2] == loc[:2]]  # every error of that entry
    problems = "; ".join(f"{_path(e['loc'])}: {e['msg']}" for e in same)
    return f"{name}:{where}: {problems}"


def _path(loc: tuple) -> str:
    inner = [str(part) for part in loc[2:]] if len(loc) > 2 and loc[0] == "pages" else [str(p) for p in loc]
    return ".".join(inner) or "entry"


@cache
def configured_pages() -> dict[str, Page]:
    return load_pages()


def extract(doc: Document, pages: dict[str, Page] | None = None) -> Extraction:
    """Every priced row of the page's matching tables, as observations."""
    if doc.status >= 400:
        raise SourceError(doc.source, doc.url, f"HTTP {doc.status}")
    page = (pages if pages is not None else configured_pages()).get(doc.url)
    if page is None:
        raise SourceError(doc.source, doc.url, "no pricing page configured for this URL")
    soup = BeautifulSoup(doc.body, "lxml")
    candidates = soup.select(page.table.selector)
    if not candidates:
        raise SourceError(doc.source, doc.url, f"layout changed: no table matches {page.table.selector!r}")
    tables = [(t, _header(t)) for t in candidates]
    if page.table.header:
        wanted = _norm(page.table.header)
        tables = [(t, h) for t, h in tables if any(wanted in _norm(cell) for cell in h)]
        if not tables:
            raise SourceError(doc.source, doc.url, f"layout changed: no {page.table.selector!r} table "
                                                   f"has a header containing {page.table.header!r}")
    result = Extraction(doc)
    for table, header in tables:
        _read_table(doc, page, table, header, result)
    return result


def _read_table(doc: Document, page: Page, table: Tag, header: list[str], result: Extraction) -> None:
    wanted = {name: text for name, text in page.columns.model_dump().items() if text}
    index = {name: _column(doc, header, text) for name, text in wanted.items()}
    for row in _rows(table)[1:]:
        cells = row.find_all(["td", "th"], recursive=False)
        if len(cells) <= max(index.values()):
            continue  # a section heading spanning the table, not a model
        model = strip_footnotes(cells[index["model"]].get_text(" ", strip=True))
        if not model:
            continue
        priced = False
        not_comparable = []
        for name, field in PRICE_FIELDS.items():
            if name not in index:
                continue
            text = cells[index[name]].get_text(" ", strip=True)
            try:
                cell = read_cell(text, page.unit)
            except ValueError as exc:
                result.reject(model, page.provider_id, field, text, str(exc))
                continue
            if cell.kind == "price":
                result.add(model, page.provider_id, field, cell.usd_per_mtok, note=f"cell {clean(text)!r}")
                priced = True
            elif cell.kind == "not_comparable":
                not_comparable.append(f"{name}: {cell.text}")
        if not_comparable:
            result.add(model, page.provider_id, "price_not_comparable", "; ".join(not_comparable))
        if priced or not_comparable:  # the page's own name for the model it prices
            result.add(model, page.provider_id, "name", model)


def _rows(table: Tag) -> list[Tag]:
    return [r for r in table.find_all("tr") if r.find_parent("table") is table]


def _header(table: Tag) -> list[str]:
    rows = _rows(table)
    return [c.get_text(" ", strip=True) for c in rows[0].find_all(["th", "td"], recursive=False)] if rows else []


def _norm(text: str) -> str:
    return clean(text).casefold()


def _column(doc: Document, header: list[str], text: str) -> int:
    """The column whose header is `text` (exactly, else the one header containing it)."""
    wanted = _norm(text)
    exact = [i for i, h in enumerate(header) if _norm(h) == wanted]
    if exact:
        return exact[0]
    partial = [i for i, h in enumerate(header) if wanted in _norm(h)]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise SourceError(doc.source, doc.url, f"layout changed: no column header {text!r} "
                                               f"(headers: {', '.join(header) or 'none'})")
    raise SourceError(doc.source, doc.url, f"column header {text!r} is ambiguous: "
                                           f"{', '.join(header[i] for i in partial)}")
