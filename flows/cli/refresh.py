"""`versus refresh`: crawl or replay, load, reconcile, compare; publish atomically."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, _echo_err
from flows.steps import SOURCES
from flows.terminal import echo


def refresh(
    db: DbOption = Path("versus.duckdb"),
    snapshot: Annotated[Path | None, typer.Option(help="Replay this recorded snapshot folder (manifest.json) instead of crawling live.")] = None,
    record: Annotated[Path | None, typer.Option(help="Crawl live and also write the responses as a snapshot in this folder.")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help=f"Only these sources (repeatable): {', '.join(SOURCES)}.")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another refresh holding the lock.")] = 0,
    export_dir: Annotated[Path | None, typer.Option(help="After publishing, export the tables into this folder.")] = None,
    export_format: Annotated[list[str] | None, typer.Option(help="Table export format (repeatable): parquet, csv, jsonl.")] = None,
    export_to: Annotated[list[str] | None, typer.Option("--export-to", help="After publishing, load this dlt destination incrementally (repeatable; see `versus export --to`).")] = None,
    http_cache: Annotated[Path | None, typer.Option(help="Live crawls: keep responses here and re-fetch them conditionally (ETag, Last-Modified); default: beside the warehouse (DB.httpcache).")] = None,
    no_http_cache: Annotated[bool, typer.Option("--no-http-cache", help="Live crawls: download every document again.")] = False,
    site_dir: Annotated[Path | None, typer.Option(help="After publishing, build the static site here (see `versus site`).")] = None,
) -> None:
    """Crawl the sources, load, reconcile and regenerate comparisons; publish atomically.

    A source the replayed snapshot holds nothing of is skipped ("not in this snapshot"): it keeps
    its last good data and counts neither way. Progress per source goes to stderr: a live bar on
    a terminal, plain lines otherwise. Exit code 0 when every source that ran succeeded,
    2 when some failed, 1 when none loaded.
    """
    from flows.refresh import RefreshOptions, refresh as run_refresh
    from flows.summary import summary_markdown
    from warehouse.publish import RefreshLocked
    from scrapers.snapshot import Snapshot, SnapshotError

    if snapshot and record:
        raise typer.BadParameter("--snapshot replays and --record crawls live: choose one")
    if snapshot:
        try:
            Snapshot(snapshot)
        except SnapshotError as exc:
            _echo_err(f"versus refresh: {exc}")
            raise typer.Exit(1)
    from flows.progress import crawl_display

    options = RefreshOptions(db=db, snapshot=snapshot, record=record, sources=source or SOURCES, wait_seconds=wait,
                             export_dir=export_dir, export_formats=export_format or ["parquet"],
                             export_to=export_to or [],
                             http_cache=http_cache, use_http_cache=not no_http_cache, site_dir=site_dir)
    try:
        with crawl_display(_echo_err) as display:
            report = run_refresh(options, progress=display.log, crawl_progress=display)
    except (RefreshLocked, ValueError) as exc:
        _echo_err(f"versus refresh: {exc}")
        raise typer.Exit(1)
    echo(summary_markdown(report))
    raise typer.Exit({"ok": 0, "partial": 2}.get(report.status, 1))


def register(app: typer.Typer) -> None:
    """Add `refresh` to the `versus` command line."""
    app.command("refresh")(refresh)
