"""Opening the warehouse and applying its schema."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse import steps


def schema_statements() -> list[str]:
    """The `warehouse/sql/*.sql` files, in the order `warehouse.steps.SCHEMA` declares."""
    folder = resources.files("warehouse").joinpath("sql")
    return [folder.joinpath(name).read_text() for name, _ in steps.SCHEMA]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; existing tables and their rows are left as they are."""
    for sql in schema_statements():
        con.execute(sql)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema applied."""
    con = duckdb.connect(str(path))
    apply_schema(con)
    return con
