"""One SCD2 mechanism for every history table, as dbt snapshots: each table declared once.

A reconcile step's SQL says `-- scd2: <table>` where the table's history is written;
`warehouse.reconcile.sql_steps` puts `scd2_sql(HISTORIES[table])` there
(template: `warehouse/sql/templates/scd2.sql`).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class History:
    """A history table: rows of `staged` (this run's values, with valid_from) versioned by `key`."""

    table: str
    staged: str
    key: tuple[str, ...]
    tracked: tuple[str, ...]          # a change in one closes the open row and opens a new one
    gone_at: str                      # when an open row whose key is no longer staged closes (over `o`)
    gone_joins: str = ""              # joins gone_at reads
    stated: tuple[str, ...] = ()      # tracked columns compared with <>: NULL now is no change
    on_close: str = ""                # further `SET` assignments on a closed row
    on_open: str = ""                 # further columns of an opened row

    @property
    def closing(self) -> str:
        """The temp table of rows this run closes: key, old_ and new_ tracked values, closed_at, changed."""
        return f"_{self.table}_closing"


HISTORIES: dict[str, History] = {h.table: h for h in (
    History("offering_prices", "_price_now",
            ("model_id", "provider_id", "source", "route", "component", "service_tier", "threshold_tokens",
             "hours", "starts_on", "ends_on", "in_force"),
            ("usd_per_mtok", "threshold_inclusive", "variant", "listing_price"), stated=("usd_per_mtok", "threshold_inclusive"),
            gone_at="CAST(r.retired_on AS TIMESTAMP) AT TIME ZONE 'UTC', st.at, (SELECT data_at FROM _data_now)",
            gone_joins="LEFT JOIN offering_listings r ON r.model_id = o.model_id AND r.provider_id = o.provider_id "
                       "AND r.source = o.source AND r.route = o.route AND r.status = 'retired'\n"
                       "LEFT JOIN (SELECT source, max(effective_at) AS at FROM current_documents GROUP BY source) st "
                       "ON st.source = o.source",
            on_close=", preferred = false", on_open=", false AS preferred"),
    History("benchmark_results", "_bench_now",
            ("model_id", "benchmark_id", "setting", "harness", "source", "source_id", "source_row"),
            ("score", "ci_low", "ci_high", "copy_of"), stated=("score",),
            gone_at="(SELECT now FROM _reconcile_run)"),
)}


def _match(a: str, b: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in columns)


def scd2_sql(h: History) -> str:
    """The SQL that closes and opens `h.table`'s rows for this run."""
    template = resources.files("warehouse").joinpath("sql", "templates", "scd2.sql").read_text()
    differs = " OR ".join(f"n.{c} <> o.{c}" if c in h.stated else f"n.{c} IS DISTINCT FROM o.{c}" for c in h.tracked)
    closing_columns = ", ".join([f"o.{c}" for c in h.key] + [f"o.{c} AS old_{c}, n.{c} AS new_{c}" for c in h.tracked])
    return template.format(
        table=h.table, staged=h.staged, closing=h.closing, first_key=h.key[0], gone_at=h.gone_at,
        gone_joins=h.gone_joins, on_close=h.on_close, on_open=h.on_open, differs=differs,
        closing_columns=closing_columns, match_n_o=_match("n", "o", h.key), match_h_c=_match("h", "c", h.key),
        match_o_n=_match("o", "n", h.key), match_c_n=_match("c", "n", h.key))
