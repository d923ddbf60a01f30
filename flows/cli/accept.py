"""`versus accept SOURCE`: apply a held document after review."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, _echo_err
from flows.terminal import echo


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


def register(app: typer.Typer) -> None:
    """Add `accept` to the `versus` command line."""
    app.command("accept")(accept)
