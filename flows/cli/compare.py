"""`versus compare` and `versus export`: comparison records and exports from a warehouse, read-only."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from pydantic import ValidationError

from flows.terminal import echo

DbOption = Annotated[Path, typer.Option("--db", envvar="VERSUS_DB", help="DuckDB warehouse file (opened read-only).")]
InputTokens = Annotated[int | None, typer.Option(
    "--input-tokens", min=0, help="Input tokens a month (default: the comparisons table's profile, else 100,000,000).")]
OutputTokens = Annotated[int | None, typer.Option(
    "--output-tokens", min=0, help="Output tokens a month (default: the comparisons table's profile, else 30,000,000).")]
Blend = Annotated[float | None, typer.Option(
    "--blend", min=0, max=1, help="Input share of the blended price, up to 4 decimals (default: the table's, else 0.7).")]


class PageFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    md = "md"
    html = "html"


def _fail(command: str, message: str) -> typer.Exit:
    echo(f"versus {command}: {message}", err=True)
    return typer.Exit(2)


def _open(command: str, db: Path) -> duckdb.DuckDBPyConnection:
    if not db.is_file():
        raise _fail(command, f"no warehouse at {db}; run `versus refresh` first or pass --db")
    return duckdb.connect(str(db), read_only=True)


def _traffic(command: str, con: duckdb.DuckDBPyConnection, input_tokens: int | None,
             output_tokens: int | None, blend: float | None):
    from records.schema import TrafficProfile
    from warehouse.export import stored_traffic

    base = stored_traffic(con) or TrafficProfile()
    given = {k: v for k, v in (("input_tokens_per_month", input_tokens), ("output_tokens_per_month", output_tokens),
                                ("input_share", None if blend is None else Decimal(str(blend)))) if v is not None}
    try:
        return TrafficProfile(**{**base.model_dump(), **given})
    except ValidationError as exc:
        raise _fail(command, "; ".join(e["msg"] for e in exc.errors())) from None


def _resolve(command: str, con: duckdb.DuckDBPyConnection, name: str) -> str:
    from warehouse.records import ModelNotFound, resolve_model

    try:
        return resolve_model(con, name)
    except ModelNotFound as exc:
        raise _fail(command, str(exc)) from None


def compare(
    model_a: Annotated[str, typer.Argument(help="Canonical id, a source's id, or display name (any case).")],
    model_b: Annotated[str, typer.Argument(help="The model to compare it with.")],
    fmt: Annotated[PageFormat, typer.Option("--format", help="Output format.")] = PageFormat.md,
    db: DbOption = Path("versus.duckdb"),
    input_tokens: InputTokens = None,
    output_tokens: OutputTokens = None,
    blend: Blend = None,
) -> None:
    """Print the comparison record of two models: verdict, figures, specs, capabilities, sources."""
    from records.render import render
    from warehouse.records import not_comparable, pair_record

    con = _open("compare", db)
    try:
        a, b = _resolve("compare", con, model_a), _resolve("compare", con, model_b)
        if a == b:
            raise _fail("compare", f"{model_a!r} and {model_b!r} are the same model ({a})")
        if why := not_comparable(con, a, b):
            raise _fail("compare", why)
        record = pair_record(con, a, b, _traffic("compare", con, input_tokens, output_tokens, blend))
    finally:
        con.close()
    echo(render(record, fmt.value), nl=False)


def export(
    fmt: Annotated[ExportFormat | None, typer.Option("--format", help="Tables: parquet, csv, jsonl. Pages: md, html.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write into (created if missing).")] = None,
    db: DbOption = Path("versus.duckdb"),
    to: Annotated[list[str] | None, typer.Option("--to", help="Instead: load every analyst table into this dlt destination, incrementally (repeatable): postgresql://USER:PASSWORD@HOST/DB, duckdb:///FILE, file:///DIR (Parquet), or a dlt destination name. See docs/export.md.")] = None,
    dataset: Annotated[str, typer.Option("--dataset", help="--to: the schema (dataset) the tables land in.")] = "versus",
    model: Annotated[str | None, typer.Option("--model", help="Pages: every pair of this model.")] = None,
    pair: Annotated[list[str] | None, typer.Option("--pair", help="Pages: this pair, as A,B (repeatable).")] = None,
    all_pairs: Annotated[bool, typer.Option("--all", help="Pages: every pair in the comparisons table.")] = False,
    input_tokens: InputTokens = None,
    output_tokens: OutputTokens = None,
    blend: Blend = None,
    every: Annotated[int, typer.Option(min=1, help="Pages: report progress every this many pages.")] = 1000,
) -> None:
    """Export the warehouse tables (via DuckDB COPY) or comparison pages plus an index page; or, with
    --to, every analyst table into a database or Parquet dataset through dlt (docs/export.md)."""
    from warehouse.export import PageError, export_pages, export_tables, pairs_of
    from warehouse.records import last_reviewed, not_comparable

    if to:
        if fmt or out:
            raise _fail("export", "--to loads a destination; --format and --out write files: choose one")
        from flows.cli.export_to import export_to_destinations

        return export_to_destinations(db, to, dataset)
    if not (fmt and out):
        raise _fail("export", "give --format and --out (files), or --to DESTINATION")
    con = _open("export", db)
    try:
        if fmt.value in ("parquet", "csv", "jsonl"):
            if model or pair or all_pairs:
                raise _fail("export", "--model, --pair and --all select pages: use --format md or html")
            written = export_tables(con, out, fmt.value)
        else:
            if not (model or pair or all_pairs):
                raise _fail("export", "choose the pages: --model X, --pair A,B (repeatable) or --all")
            pairs = pairs_of(con) if all_pairs else []
            if model:
                pairs += pairs_of(con, _resolve("export", con, model))
            for spec in pair or []:
                names = spec.split(",")
                if len(names) != 2:
                    raise _fail("export", f"--pair takes two models as A,B; got {spec!r}")
                a, b = (_resolve("export", con, n.strip()) for n in names)
                if why := not_comparable(con, a, b):
                    raise _fail("export", why)
                pairs.append((a, b, last_reviewed(con, a, b)))
            pairs = list(dict.fromkeys(pairs))
            traffic = _traffic("export", con, input_tokens, output_tokens, blend)
            try:
                written = export_pages(con, out, fmt.value, pairs, traffic, every=every)
            except PageError as exc:
                raise _fail("export", str(exc)) from None
    finally:
        con.close()
    echo(f"wrote {len(written)} files to {out}")


def register(app: typer.Typer) -> None:
    """Add `compare` and `export` to the `versus` command line."""
    app.command("compare")(compare)
    app.command("export")(export)
