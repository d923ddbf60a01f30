"""What the commands share: the `--db` option of a command that writes the warehouse, stderr."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.terminal import echo

DbOption = Annotated[Path, typer.Option("--db", envvar="VERSUS_DB", help="DuckDB warehouse file.")]


def _echo_err(line: str) -> None:
    echo(line, err=True)
