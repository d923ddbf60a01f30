"""`versus schedule`: serve the nightly flow on a cron schedule (Prefect)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, _echo_err


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


def register(app: typer.Typer) -> None:
    """Add `schedule` to the `versus` command line."""
    app.command("schedule")(schedule)
