"""Exports for other systems: tables through DuckDB COPY, and comparison pages with an index.

CSV cells that a spreadsheet would run as a formula (text starting with = + - @, tab or carriage
return) get a leading apostrophe, as OWASP advises; text that parses as a number ("-5", "-0.5")
is left alone, and numeric columns are never touched, so negative figures stay numbers. Parquet
and JSON Lines carry values as they are.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

from records import html, render
from records.schema import TrafficProfile
from warehouse.forks import map_chunks
from warehouse.records import RecordBuilder, frozen

TABLES = ("comparisons", "models", "offerings", "price_history", "model_capabilities", "conflicts", "providers")
TABLE_FORMATS = {"parquet": ("parquet", "(FORMAT parquet)"), "csv": ("csv", "(FORMAT csv, HEADER)"),
                 "jsonl": ("jsonl", "(FORMAT json)")}
PAGE_FORMATS = ("md", "html")
Pair = tuple[str, str, date | None]  # model_a, model_b, last_reviewed


@contextmanager
def _connection(db: str | Path | duckdb.DuckDBPyConnection):
    if isinstance(db, duckdb.DuckDBPyConnection):
        yield db
        return
    con = duckdb.connect(str(db), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SELECT of the table with formula-like text cells neutralized (see module docstring)."""
    columns = []
    for name, type_ in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall():
        col = _quoted(name)
        if type_ == "VARCHAR":
            col = (f"CASE WHEN regexp_matches({col}, '^[=+\\-@\\t\\r]') AND TRY_CAST({col} AS DOUBLE) IS NULL "
                   f"THEN '''' || {col} ELSE {col} END AS {col}")
        columns.append(col)
    return f"SELECT {', '.join(columns)} FROM {_quoted(table)}"


def export_tables(db: str | Path | duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str) -> list[str]:
    """Write each table of TABLES to `out_dir/<table>.<ext>`; returns the paths written."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; choose from {', '.join(TABLE_FORMATS)}")
    ext, options = TABLE_FORMATS[fmt]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with _connection(db) as con:
        for table in TABLES:
            path = out / f"{table}.{ext}"
            select = csv_select(con, table) if fmt == "csv" else f"SELECT * FROM {_quoted(table)}"
            con.execute(f"COPY ({select}) TO {_literal(str(path))} {options}")
            written.append(str(path))
    return written


# --- pages ---------------------------------------------------------------------------------

SLUG_MAX = 80  # characters: a pair's file name (two slugs) stays far below the usual 255-byte limit


def _hash(model_id: str) -> str:
    return hashlib.md5(model_id.encode()).hexdigest()[:8]


def _slug(model_id: str) -> str:
    """The id's file-name form: lowercase letters, digits and dots, runs of anything else one '-';
    longer than SLUG_MAX, cut and ended with a hash of the whole id."""
    slug = re.sub(r"[^a-z0-9.]+", "-", model_id.lower()).strip("-.") or "model"
    return slug if len(slug) <= SLUG_MAX else f"{slug[:SLUG_MAX - 9].rstrip('-.')}-{_hash(model_id)}"


class PageError(Exception):
    """A page could not be written; names the pair and the file."""


def shown_id(model_id: str, keep: int = 100) -> str:
    """A model id for a message: cut after `keep` characters, with its length."""
    return model_id if len(model_id) <= keep else f"{model_id[:keep]}... ({len(model_id):,} characters)"


def model_slugs(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A file-name slug per model id, unique and at most SLUG_MAX characters (plus 9 where two ids
    share one): ids sharing a slug get a short hash of the id."""
    ids = [r[0] for r in con.execute("SELECT model_id FROM models ORDER BY 1").fetchall()]
    seen: dict[str, int] = {}
    for i in ids:
        seen[_slug(i)] = seen.get(_slug(i), 0) + 1
    return {i: _slug(i) if seen[_slug(i)] == 1 else f"{_slug(i)}-{_hash(i)}" for i in ids}


def stored_traffic(con: duckdb.DuckDBPyConnection) -> TrafficProfile | None:
    """The traffic profile the `comparisons` table was built with, if it has rows."""
    row = con.execute("SELECT input_tokens_per_month, output_tokens_per_month, input_share "
                      "FROM comparison_models LIMIT 1").fetchone()
    return TrafficProfile(input_tokens_per_month=row[0], output_tokens_per_month=row[1],
                          input_share=row[2]) if row else None


def pairs_of(con: duckdb.DuckDBPyConnection, model_id: str | None = None) -> list[Pair]:
    """Every pair in `comparisons` (the stored pairs), or every pair of `model_id`, stored or not
    (macro comparison_pairable; last_reviewed as compare_pair gives it), in canonical order."""
    if model_id is None:
        return con.execute("SELECT model_a, model_b, last_reviewed FROM comparisons ORDER BY 1, 2").fetchall()
    return con.execute("""
        SELECT least(m.model_id, o.model_id) AS a, greatest(m.model_id, o.model_id) AS b,
               coalesce(c.last_reviewed, least(m.last_reviewed, o.last_reviewed))
        FROM comparison_models m
        JOIN comparison_models o ON o.model_id <> m.model_id
         AND comparison_pairable(m.model_id, m.kind, m.alias_candidates, o.model_id, o.kind, o.alias_candidates)
        LEFT JOIN comparisons c ON c.model_a = least(m.model_id, o.model_id) AND c.model_b = greatest(m.model_id, o.model_id)
        WHERE m.model_id = ? ORDER BY 1, 2""", [model_id]).fetchall()


def _write_pages(job: tuple[list[Pair], RecordBuilder, dict[str, str], Path, str]) -> list[tuple[str, str]]:
    """Render and write one chunk of pages; returns (title, file name) per page."""
    pairs, builder, slugs, out, fmt = job
    entries = []
    for a, b, reviewed in pairs:
        record = builder.record(a, b, reviewed)
        name = f"{slugs[a]}--vs--{slugs[b]}.{fmt}"
        try:
            (out / name).write_text(render.render(record, fmt), encoding="utf-8")
        except OSError as exc:
            raise PageError(f"cannot write the page of {shown_id(a)} vs {shown_id(b)} ({name}): "
                            f"{exc.strerror or exc}") from None
        entries.append((record.title, name))
    return entries


_JOB: tuple | None = None  # what forked workers share (facts loaded once, before the fork)


def _write_chunk(pairs: list[Pair]) -> list[tuple[str, str]]:
    return _write_pages((pairs, *_JOB))


def export_pages(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str, pairs: Iterable[Pair],
                 traffic: TrafficProfile | None = None, progress: Callable[[str], None] | None = None,
                 every: int = 1000, workers: int | None = None) -> list[str]:
    """One page per pair plus `index.<fmt>`; progress reports a count about every `every` pages.

    Pages render in `workers` forked processes (default: one per CPU, at most 4; none where forking
    is unsafe, see warehouse.forks) sharing the facts loaded once here; the index lists pages in
    the order of `pairs`. A page that cannot be written is a PageError naming its pair; the pages
    this call wrote are then removed and no index is written.
    """
    global _JOB
    if fmt not in PAGE_FORMATS:
        raise ValueError(f"unknown page format {fmt!r}; choose from {', '.join(PAGE_FORMATS)}")
    progress = progress or (lambda line: print(line, file=sys.stderr))
    pairs = list(pairs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    slugs, traffic = model_slugs(con), traffic or stored_traffic(con)
    size = max(1, min(250, every))
    chunks = [pairs[i:i + size] for i in range(0, len(pairs), size)]
    workers = workers or min(4, os.cpu_count() or 1)
    entries: list[tuple[str, str]] = []
    builder = frozen(lambda: RecordBuilder(con, {m for a, b, _ in pairs for m in (a, b)}, traffic))
    before = set(os.listdir(out))
    try:
        _JOB = (builder, slugs, out, fmt)
        _collect(map_chunks(_write_chunk, chunks, workers), entries, len(pairs), every, progress)
    except PageError:
        for name in {f"{slugs[a]}--vs--{slugs[b]}.{fmt}" for a, b, _ in pairs} - before:
            (out / name).unlink(missing_ok=True)
        raise
    finally:
        _JOB = None
        gc.unfreeze()
    index = out / f"index.{fmt}"
    index.write_text(_index(entries, fmt), encoding="utf-8")
    progress(f"exported {len(entries):,} pages and {index.name} to {out}")
    return [str(out / name) for _, name in entries] + [str(index)]


def _collect(done: Iterable[list], entries: list, total: int, every: int, progress: Callable[[str], None]) -> None:
    for chunk in done:
        before = len(entries)
        entries += chunk
        if len(entries) // every > before // every and len(entries) < total:
            progress(f"exported {len(entries):,} of {total:,} pages")


def _index(entries: list[tuple[str, str]], fmt: str) -> str:
    title = f"versus: {len(entries):,} comparisons"
    if fmt == "md":
        lines = [f"# {title}", ""] + [f"- [{render.md_escape(t)}](<{n}>)" for t, n in entries]
        return "\n".join(lines) + "\n"
    return html.render_page("export_index.html", title=title, entries=entries)
