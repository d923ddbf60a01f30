"""The `versus` command line."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows import cli_audit, cli_compare, cli_cost, cli_site
from flows.steps import SOURCES
from flows.terminal import echo

app = typer.Typer(help="versus: evidence-backed LLM comparison records from recorded or live sources.",
                  no_args_is_help=True, add_completion=False)

DbOption = Annotated[Path, typer.Option("--db", envvar="VERSUS_DB", help="DuckDB warehouse file.")]


def _echo_err(line: str) -> None:
    echo(line, err=True)


@app.command()
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


@app.command()
def status(
    db: DbOption = Path("versus.duckdb"),
    check: Annotated[bool, typer.Option("--check", help="For cron and monitoring: exit 1 naming each failing, held or stale source (limits in pipeline/sources.yaml), 0 otherwise.")] = False,
) -> None:
    """Per source: last successful fetch and its age, freshness, row counts, last error; id resolution."""
    from flows.status import check as check_sources, status_text

    if not db.exists():
        _echo_err(f"versus status: no warehouse at {db}; run `versus refresh` first")
        raise typer.Exit(1)
    if check:
        code, text = check_sources(db)
        echo(text)
        raise typer.Exit(code)
    echo(status_text(db))


@app.command()
def accept(
    source: Annotated[str, typer.Argument(help="The source whose held document to apply.")],
    db: DbOption = Path("versus.duckdb"),
    wait: Annotated[float, typer.Option(help="Seconds to wait for another refresh holding the lock.")] = 0,
) -> None:
    """Apply a source's held document after review (one that stated far fewer models/routes than the
    last accepted one): it becomes current, then reconcile and comparisons run; publish atomically."""
    from flows.accept import NothingHeld, accept_held
    from warehouse.publish import RefreshLocked

    if not db.exists():
        _echo_err(f"versus accept: no warehouse at {db}")
        raise typer.Exit(1)
    try:
        report = accept_held(db, source, wait, progress=_echo_err)
    except (NothingHeld, RefreshLocked) as exc:
        _echo_err(f"versus accept: {exc}")
        raise typer.Exit(1)
    echo(report)


@app.command()
def schedule(
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression.")] = "0 3 * * *",
    timezone: Annotated[str, typer.Option(help="IANA time zone the cron expression is read in.")] = "UTC",
    db: DbOption = Path("versus.duckdb"),
    snapshot: Annotated[Path | None, typer.Option(help="Replay this snapshot each night instead of crawling live.")] = None,
    export_dir: Annotated[Path | None, typer.Option(help="Export tables here after each run.")] = None,
    export_to: Annotated[list[str] | None, typer.Option("--export-to", help="After each run, load this dlt destination incrementally (repeatable; see `versus export --to`). A password in the URL is stored in the deployment's parameters on the Prefect server: prefer dlt's environment variable or secrets file.")] = None,
    site_dir: Annotated[Path | None, typer.Option(help="Build the static site here after each run.")] = None,
) -> None:
    """Serve the nightly flow on a schedule (Prefect `flow.serve`); runs until interrupted.

    Point PREFECT_API_URL at a Prefect server to see the runs in its UI (see README).
    """
    from prefect import serve

    deployment, lines = schedule_deployment(cron, timezone, db, snapshot, export_dir, export_to or [], site_dir)
    for line in lines:
        _echo_err(line)
    serve(deployment)


def schedule_deployment(cron: str, timezone: str, db: Path, snapshot: Path | None = None,
                        export_dir: Path | None = None, export_to: list[str] | None = None,
                        site_dir: Path | None = None):
    """The deployment `versus schedule` serves, and what it says about it (destination URLs masked)."""
    from flows.nightly import nightly_deployment
    from warehouse.dlt_export import mask_url

    params: dict = {"db": str(db.resolve())}
    if snapshot:
        params["snapshot"] = str(snapshot.resolve())
    if export_dir:
        params["export_dir"] = str(export_dir.resolve())
    if site_dir:
        params["site_dir"] = str(site_dir.resolve())
    lines = []
    if export_to:
        params["export_to"] = list(export_to)
        lines.append(f"after each run, exporting to {', '.join(mask_url(url) for url in export_to)}")
        lines += [f"note: the password of {mask_url(url)} is stored in the deployment's parameters on the Prefect "
                  "server; prefer dlt's environment variable or .dlt/secrets.toml (docs/export.md)"
                  for url in export_to if mask_url(url) != url]
    lines.append(f"serving versus-nightly on '{cron}' ({timezone}); Ctrl-C stops")
    return nightly_deployment(cron, timezone, params), lines


cli_compare.register(app)
cli_cost.register(app)
cli_audit.register(app)
cli_site.register(app)


if __name__ == "__main__":
    app()
