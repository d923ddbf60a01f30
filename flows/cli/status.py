"""`versus status`: each source's freshness and health, `--check` for monitoring."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, _echo_err
from flows.terminal import echo


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


def register(app: typer.Typer) -> None:
    """Add `status` to the `versus` command line."""
    app.command("status")(status)
