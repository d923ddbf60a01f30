"""`versus site`: build the published static site from a warehouse, read-only."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.terminal import echo

DbOption = Annotated[Path, typer.Option("--db", envvar="VERSUS_DB", help="DuckDB warehouse file (opened read-only).")]


def site(
    out: Annotated[Path, typer.Option("--out", help="Where the site is published: a link swapped atomically to "
                                                    "each new build (builds live beside it in .<name>.builds/).")],
    db: DbOption = Path("versus.duckdb"),
    pairs: Annotated[str, typer.Option("--pairs", help="Pair pages: nearest (each model's ~10 nearest alternatives "
                                                       "plus the pairs file), config (the pairs file only), none, all.")] = "nearest",
    pairs_file: Annotated[Path | None, typer.Option("--pairs-file", help="Pairs file to use instead of "
                                                                         "pipeline/site_pairs.yaml.")] = None,
    base_url: Annotated[str, typer.Option("--base-url", envvar="VERSUS_SITE_URL",
                                          help="Where the site is served: the sitemap's absolute URLs.")] = "http://localhost:8000/",
) -> None:
    """Build the static site: a searchable index of tracked models, a page per model, pair pages, sitemap.

    Only pages whose content changed are rewritten; the new site replaces the old one in one step.
    """
    import duckdb

    from pipeline.curated import CuratedFileError
    from warehouse.site import SiteError, build_site

    if not db.is_file():
        echo(f"versus site: no warehouse at {db}; run `versus refresh` first or pass --db", err=True)
        raise typer.Exit(2)
    con = duckdb.connect(str(db), read_only=True)
    try:
        report = build_site(con, out, pairs, pairs_file, base_url, progress=lambda line: echo(line, err=True))
    except (SiteError, CuratedFileError, OSError) as exc:
        echo(f"versus site: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        con.close()
    echo(f"site: {report.out / 'index.html'} ({report.pages} pages)")


def register(app: typer.Typer) -> None:
    """Add `site` to the `versus` command line."""
    app.command("site")(site)
