"""`versus export --to DESTINATION`: the analyst tables into another system through dlt (`warehouse/dlt_export.py`)."""
from __future__ import annotations

from pathlib import Path

import typer

from flows.terminal import echo


def export_to_destinations(db: Path, destinations: list[str], dataset: str) -> None:
    """Export to each destination in turn; what was sent goes to stdout, a failure (its URL masked)
    to stderr with exit code 2 after the others ran."""
    from warehouse.dlt_export import ExportError, export_to, mask_url

    if not db.exists():
        echo(f"versus export: no warehouse at {db}; run `versus refresh` first or pass --db", err=True)
        raise typer.Exit(2)
    failed = False
    for url in destinations:
        try:
            report = export_to(db, url, dataset)
        except ExportError as exc:
            echo(f"versus export: {exc}", err=True)
            failed = True
            continue
        except Exception as exc:  # noqa: BLE001 - whatever it is, the password stays out of the output
            from warehouse.dlt_export import scrub

            echo(f"versus export: export to {mask_url(url)} failed: {scrub(str(exc), url)}", err=True)
            failed = True
            continue
        for line in report.lines():
            typer.echo(line)
    if failed:
        raise typer.Exit(2)
