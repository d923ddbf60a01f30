"""The `versus` command line: the app, and one module per command (`python -m flows.cli`)."""
from __future__ import annotations

import typer

from flows.cli import accept, audit, compare, cost, refresh, schedule, site, status

app = typer.Typer(help="versus: evidence-backed LLM comparison records from recorded or live sources.",
                  no_args_is_help=True, add_completion=False)

for command in (refresh, status, accept, schedule, compare, cost, audit, site):
    command.register(app)
