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


STORED_TABLE = """
SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name = ?
"""


def _migrations(con: duckdb.DuckDBPyConnection) -> None:
    """Move what an earlier versus stored in a table that is now a view (`warehouse.steps.MIGRATIONS`)."""
    folder = resources.files("warehouse").joinpath("sql", "migrations")
    for name, table, _ in steps.MIGRATIONS:
        if con.execute(STORED_TABLE, [table]).fetchone()[0]:
            con.execute(folder.joinpath(name).read_text())


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; existing tables and their rows are left as they are (a table an
    earlier versus stored that is now a view moves first: `warehouse.steps.MIGRATIONS`)."""
    for (name, _), sql in zip(steps.SCHEMA, schema_statements(), strict=True):
        if name == "schema_views.sql":
            _migrations(con)
        con.execute(sql)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema applied."""
    con = duckdb.connect(str(path))
    apply_schema(con)
    return con
