"""`versus audit`: every disagreement between independent sources, for the people who maintain the data."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.compare import DbOption, _open
from flows.terminal import echo


class AuditFormat(str, Enum):
    md = "md"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    @app.command()
    def audit(
        db: DbOption = Path("versus.duckdb"),
        format: Annotated[AuditFormat, typer.Option("--format", help="md, json or html.")] = AuditFormat.md,
        out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None,
    ) -> None:
        """List every disagreement between independent sources, ranked by impact.

        Prices of one model at one provider, context and output limits, capabilities, licenses and
        dates: each with every source's value, URL and as-of, the value the records use and why.
        Stale prices too: a route one source last confirmed long before another
        (precedence.yaml audit.stale_after_days). A copy (precedence.yaml `derived`) counts as the
        source it copies. Impact: the monthly difference at 100M input and 30M output tokens.
        """
        from warehouse.audit import RENDERERS, audit as run_audit, counts

        con = _open("audit", db)
        try:
            found = run_audit(con)
        finally:
            con.close()
        text = RENDERERS[format.value](found)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            echo(f"versus audit: {len(found)} discrepancies ({counts(found)}) written to {out}", err=True)
        else:
            echo(text, nl=False)
