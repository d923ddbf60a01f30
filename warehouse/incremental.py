"""Whether reconciliation has anything to recompute, and the little an unchanged run still does.

A reconcile reads the current documents (observations are keyed by document), the curated rules
and the code that applies them, and the model ids the warehouse already knows (identity keeps
them). Their digest is `inputs`; the reconciled tables' digest as the run left them is `outputs`
(both in `reconcile_state`). A run whose inputs digest and whose tables' digest are the stored
ones recomputes no model: a full recompute would write the same rows. It still does what depends
on the run itself: offerings' `last_seen` moves to the documents' new fetch times, and a route
whose retirement date the data's date has now reached is a change (a full recompute then runs).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from importlib import resources
from typing import NamedTuple

import duckdb

# the tables reconciliation writes (warehouse/sql/reconcile/*.sql)
RECONCILED_TABLES = ("providers", "models", "model_aliases", "model_capabilities", "model_families",
                     "offering_listings", "offering_prices", "conflicts", "lineage", "benchmarks", "benchmark_results")

DOCUMENTS_SQL = """
SELECT md5(coalesce(string_agg(concat_ws('|', source, url, sha256, as_of, CAST(effective_at AS VARCHAR)),
                               chr(10) ORDER BY source, url), ''))
FROM current_documents
"""

KNOWN_IDS_SQL = "SELECT model_id FROM models UNION SELECT model_id FROM offering_listings UNION SELECT model_id FROM offering_prices"

# The data's date as warehouse/sql/reconcile/int_offerings.sql's _data_now states it.
TODAY_SQL = """
SELECT CAST(timezone('UTC', coalesce(max(greatest(d.effective_at,
                                                  CASE WHEN r.run_id IS NOT NULL AND r.snapshot IS NULL
                                                       THEN d.last_fetched_at END)), $1)) AS DATE)
FROM current_documents d LEFT JOIN runs r ON r.run_id = d.last_run_id
"""

# A route whose status the data's date changes: a stated retirement it has now reached, or left.
RETIREMENT_MOVED_SQL = """
SELECT count(*) FROM offering_listings
WHERE retired_on IS NOT NULL AND (retired_on <= $1) <> (status = 'retired')
"""

LAST_SEEN_SQL = """
UPDATE offering_listings AS o SET last_seen = s.seen
FROM (SELECT r.model_id, r.provider_id, r.source, r.route, max(d.last_fetched_at) AS seen
      FROM reconcile_route_documents r
      JOIN current_documents d ON d.source = r.source AND d.url = r.url AND d.sha256 = r.sha256
      GROUP BY ALL) s
WHERE o.model_id = s.model_id AND o.provider_id = s.provider_id AND o.source = s.source AND o.route = s.route
  AND o.last_seen IS DISTINCT FROM s.seen
"""


class State(NamedTuple):
    inputs: str
    outputs: str
    unresolved: int
    ambiguous: int


def code_version() -> str:
    """A digest of the rules and code reconciliation applies: the `pipeline` package (extractors and
    the record side aside), warehouse/reconcile.py and the schema and reconcile SQL."""
    h = hashlib.sha256()
    files = [*_walk(resources.files("pipeline"), skip=("sources", "record", "__pycache__")),
             resources.files("warehouse").joinpath("reconcile.py"),
             resources.files("warehouse").joinpath("incremental.py"),
             *_walk(resources.files("warehouse").joinpath("sql"), skip=("__pycache__",))]
    for path in sorted(files, key=str):
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _walk(root, skip: tuple[str, ...]) -> Iterable:
    for item in root.iterdir():
        if item.is_dir():
            if item.name not in skip:
                yield from _walk(item, skip)
        elif item.name.endswith((".py", ".yaml", ".sql")):
            yield item


def inputs_digest(con: duckdb.DuckDBPyConnection, known_ids: set[str]) -> str:
    """The digest of what a reconcile reads: current documents, rules and code, known model ids."""
    documents = con.execute(DOCUMENTS_SQL).fetchone()[0]
    ids = hashlib.sha256("\n".join(sorted(known_ids)).encode()).hexdigest()
    return hashlib.sha256(f"{documents}|{code_version()}|{ids}".encode()).hexdigest()


def known_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The model ids identity keeps (`previous` of `pipeline.identity.resolve_ids`)."""
    return {r[0] for r in con.execute(KNOWN_IDS_SQL).fetchall()}


def outputs_digest(con: duckdb.DuckDBPyConnection) -> str:
    """The digest of every reconciled table's rows (order aside)."""
    parts = [con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} t").fetchone()
             for table in RECONCILED_TABLES]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def stored(con: duckdb.DuckDBPyConnection) -> State | None:
    row = con.execute("SELECT inputs, outputs, unresolved, ambiguous FROM reconcile_state").fetchone()
    return State(*row) if row else None


def save(con: duckdb.DuckDBPyConnection, run_id: int, unresolved: int, ambiguous: int) -> None:
    """Record the state a run left (inside its transaction): the inputs the next run will read if
    nothing changes (the model ids known now included) and the reconciled tables' digest."""
    con.execute("DELETE FROM reconcile_state")
    con.execute("INSERT INTO reconcile_state VALUES (?, ?, ?, ?, ?)",
                [run_id, inputs_digest(con, known_ids(con)), outputs_digest(con), unresolved, ambiguous])


def save_route_documents(con: duckdb.DuckDBPyConnection) -> None:
    """Each route's documents, from the running reconcile's `_offer_obs`."""
    con.execute("DELETE FROM reconcile_route_documents")
    con.execute("INSERT INTO reconcile_route_documents SELECT DISTINCT model_id, provider_id, source, route, url, "
                "document_sha256 FROM _offer_obs")


def why_recompute(con: duckdb.DuckDBPyConnection, now: datetime, previous: set[str]) -> tuple[str | None, State | None]:
    """Why this run must recompute every model (None: nothing to recompute), and the stored state."""
    state = stored(con)
    if state is None:
        return "no earlier reconcile state", None
    if inputs_digest(con, previous) != state.inputs:
        return "inputs changed (documents, rules or code)", state
    if outputs_digest(con) != state.outputs:
        return "the reconciled tables changed since the last reconcile", state
    today = con.execute(TODAY_SQL, [now]).fetchone()[0]
    moved = con.execute(RETIREMENT_MOVED_SQL, [today]).fetchone()[0]
    if moved:
        return f"the data's date ({today}) reaches or leaves {moved} routes' retirement date", state
    return None, state


def refresh_dated(con: duckdb.DuckDBPyConnection, run_id: int, state: State) -> int:
    """What an unchanged run still writes: `last_seen` of the listed offerings; returns how many moved."""
    moved = con.execute(LAST_SEEN_SQL).fetchall()
    moved = moved[0][0] if moved else 0
    save(con, run_id, state.unresolved, state.ambiguous)
    return moved
