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


# A warehouse written before price_history became a view of offering_prices (2026-12-04) stores it
# as a table: the periods offering_prices does not hold move there as base input and output rows
# (a period overlapping one it holds is its own copy), then the table goes and the view replaces it.
STORED_PRICE_HISTORY = """
SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name = 'price_history'
"""
MOVE_PRICE_HISTORY = """
BEGIN TRANSACTION;
INSERT INTO offering_prices BY NAME
SELECT h.model_id, h.provider_id, h.source, h.route, o.variant, c.component, 'standard' AS service_tier,
       CAST(0 AS BIGINT) AS threshold_tokens, false AS threshold_inclusive, c.usd_per_mtok, true AS in_force,
       h.valid_from, h.valid_to, false AS preferred
FROM price_history h
CROSS JOIN LATERAL (VALUES ('input', h.input_usd_per_mtok), ('output', h.output_usd_per_mtok)) c(component, usd_per_mtok)
LEFT JOIN offerings o USING (model_id, provider_id, source, route)
WHERE c.usd_per_mtok IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM offering_prices p
      WHERE p.model_id = h.model_id AND p.provider_id = h.provider_id AND p.source = h.source AND p.route = h.route
        AND p.component = c.component AND p.service_tier = 'standard' AND p.threshold_tokens = 0
        AND p.hours IS NULL AND p.starts_on IS NULL AND p.ends_on IS NULL AND p.in_force
        AND p.valid_from <= coalesce(h.valid_to, 'infinity'::TIMESTAMPTZ)
        AND coalesce(p.valid_to, 'infinity'::TIMESTAMPTZ) >= h.valid_from
        AND (h.valid_from = h.valid_to OR (p.valid_from < coalesce(h.valid_to, 'infinity'::TIMESTAMPTZ)
                                           AND coalesce(p.valid_to, 'infinity'::TIMESTAMPTZ) > h.valid_from)));
DROP TABLE price_history;
COMMIT;
"""


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; existing tables and their rows are left as they are (a stored
    price_history first moves into offering_prices)."""
    for (name, _), sql in zip(steps.SCHEMA, schema_statements(), strict=True):
        if name == "schema_views.sql" and con.execute(STORED_PRICE_HISTORY).fetchone()[0]:
            con.execute(MOVE_PRICE_HISTORY)
        con.execute(sql)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema applied."""
    con = duckdb.connect(str(path))
    apply_schema(con)
    return con
