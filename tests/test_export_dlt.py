"""`versus export --to`: dlt loads into a real PostgreSQL server, another DuckDB file and a Parquet
folder, on real pipeline output (snapshots/demo-earlier, then snapshots/demo). What the destination
holds is read back with its own client and compared with the warehouse, never with the exporter's
report."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT
from tests.postgres import PASSWORD
from warehouse.dlt_export import KEYS, ExportError, export_to, mask_url, working_dir

KINDS = ("duckdb", "file", "postgres")


@pytest.fixture(scope="session")
def demo_pair(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse after demo-earlier, the same warehouse after demo-earlier then demo)."""
    from flows.refresh import RefreshOptions, refresh

    root = tmp_path_factory.mktemp("dlt-demo")
    db = root / "w.duckdb"
    refresh(RefreshOptions(db=db, snapshot=PROJECT_ROOT / "snapshots" / "demo-earlier"), progress=lambda _: None)
    early = root / "early.duckdb"
    shutil.copy(db, early)
    refresh(RefreshOptions(db=db, snapshot=PROJECT_ROOT / "snapshots" / "demo"), progress=lambda _: None)
    return early, db


# --- reading any destination back, canonically ---------------------------------------------------

def _canon(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canon(v) for v in value)
    return value


def _columns(db: Path, table: str) -> list[tuple[str, bool]]:
    """(column, nested?) of a warehouse table."""
    with duckdb.connect(str(db), read_only=True) as con:
        return [(n, t.endswith("]") or t.startswith("STRUCT")) for n, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()]


def _rows(fetched: list[tuple], nested: list[bool]) -> Counter:
    return Counter(tuple(_canon(json.loads(v, parse_float=Decimal) if n and v is not None else v)
                         for v, n in zip(row, nested)) for row in fetched)


def warehouse_rows(db: Path, table: str) -> Counter:
    cols = _columns(db, table)
    select = ", ".join(f"CAST(to_json({c}) AS VARCHAR)" if n else c for c, n in cols)
    with duckdb.connect(str(db), read_only=True) as con:
        return _rows(con.execute(f"SELECT {select} FROM {table}").fetchall(), [n for _, n in cols])


class Destination:
    """One destination of a test: its URL, and its rows read with its own client."""

    def __init__(self, kind: str, tmp: Path, server=None, name: str = "t"):
        self.kind, self.server = kind, server
        if kind == "duckdb":
            self.path = tmp / f"{name}-dest.duckdb"
            self.url = f"duckdb:///{self.path}"
        elif kind == "file":
            self.path = tmp / f"{name}-parquet"
            self.url = f"file://{self.path}"
        else:
            self.database = f"versus_{name}_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
            self.url = server.create_database(self.database)

    def query(self, sql_duckdb: str, sql_pg: str | None = None) -> list[tuple]:
        if self.kind == "postgres":
            con = self.server.connect(self.database)
            try:
                with con.cursor() as cur:
                    cur.execute(sql_pg or sql_duckdb)
                    return cur.fetchall()
            finally:
                con.close()
        if self.kind == "duckdb":
            with duckdb.connect(str(self.path), read_only=True) as con:
                return con.execute(sql_duckdb).fetchall()
        with duckdb.connect() as con:
            for table in self.tables():
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{self.path}/versus/{table}/*.parquet', "
                            "union_by_name = true)")
            return con.execute(sql_duckdb).fetchall()

    def tables(self) -> list[str]:
        if self.kind == "file":
            return sorted(p.name for p in (self.path / "versus").iterdir()
                          if p.is_dir() and any(p.glob("*.parquet")))
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'versus' "
               "AND table_name NOT LIKE '\\_dlt%' ESCAPE '\\'")
        return sorted(r[0] for r in self.query(sql))

    def _t(self, table: str) -> str:
        return table if self.kind == "file" else f"versus.{table}"

    def rows(self, db: Path, table: str, where: str = "NOT versus_removed") -> Counter:
        """The destination's rows of `table` in the warehouse's columns."""
        cols = _columns(db, table)
        if self.kind == "postgres":
            select = ", ".join(f"{c}::text" if n else c for c, n in cols)
        elif self.kind == "duckdb":
            select = ", ".join(f"CAST({c} AS VARCHAR)" if n else c for c, n in cols)
        else:
            select = ", ".join(f"CAST(to_json({c}) AS VARCHAR)" if n else c for c, n in cols)
        return _rows(self.query(f"SELECT {select} FROM {self._t(table)} WHERE {where}"), [n for _, n in cols])

    def loads(self, table: str) -> dict[str, str]:
        """versus_key -> what last wrote the row: the dlt load, or in PostgreSQL the server's own
        row version (xmin, the transaction that wrote it)."""
        if self.kind == "postgres":
            return dict(self.query("", f"SELECT versus_key, xmin::text FROM versus.{table}"))
        return dict(self.query(f"SELECT versus_key, _dlt_load_id FROM {self._t(table)}"))

    def count(self, table: str, where: str = "true") -> int:
        return self.query(f"SELECT count(*) FROM {self._t(table)} WHERE {where}")[0][0]


@pytest.fixture(params=KINDS)
def destination(request, tmp_path):
    server = request.getfixturevalue("postgres_server") if request.param == "postgres" else None
    return Destination(request.param, tmp_path, server)


def _at(tmp_path: Path, source: Path) -> Path:
    """The warehouse the test exports from: one path, so one dlt working folder across exports."""
    db = tmp_path / "w.duckdb"
    shutil.copy(source, db)
    return db


# --- the tests ------------------------------------------------------------------------------------

def test_first_export_lands_every_table_as_the_warehouse_holds_it(demo_pair, destination, tmp_path):
    early, _ = demo_pair
    db = _at(tmp_path, early)
    export_to(db, destination.url)
    assert destination.tables() == sorted(KEYS)
    for table in KEYS:
        expected = warehouse_rows(db, table)
        assert sum(expected.values()) > 0, table
        assert destination.count(table) == sum(expected.values()), table
        assert destination.rows(db, table) == expected, table
    # model_aliases' catalogue rows (provider_id NULL) are keyed too: every one arrived
    with duckdb.connect(str(db), read_only=True) as con:
        nulls = con.execute("SELECT count(*) FROM model_aliases WHERE provider_id IS NULL").fetchone()[0]
    assert nulls > 0 and destination.count("model_aliases", "provider_id IS NULL") == nulls
    assert (working_dir(db)).is_dir() and working_dir(db).parent == db.parent


def test_unchanged_reexport_rewrites_no_row(demo_pair, destination, tmp_path):
    early, _ = demo_pair
    db = _at(tmp_path, early)
    export_to(db, destination.url)
    before = {t: destination.loads(t) for t in KEYS}
    files = sorted(p.relative_to(destination.path) for p in destination.path.rglob("*.parquet")) \
        if destination.kind == "file" else None
    counters = _pg_counters(destination) if destination.kind == "postgres" else None
    report = export_to(db, destination.url)
    assert not report.sent
    assert {t: destination.loads(t) for t in KEYS} == before
    if files is not None:
        assert sorted(p.relative_to(destination.path) for p in destination.path.rglob("*.parquet")) == files
    if counters is not None:
        assert _pg_counters(destination) == counters


def _pg_counters(destination: Destination) -> dict:
    """The server's own per-table counts of inserted, updated and deleted rows in the dataset."""
    time.sleep(1.2)  # backends report their counts at most once a second (and on exit)
    return {r[0]: r[1:] for r in destination.query(
        "", "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables "
            "WHERE schemaname = 'versus' AND relname NOT LIKE '\\_dlt%' ESCAPE '\\'")}


def test_demo_earlier_then_demo_sends_what_changed(demo_pair, destination, tmp_path):
    early, both = demo_pair
    db = _at(tmp_path, early)
    export_to(db, destination.url)
    first = {t: destination.loads(t) for t in KEYS}
    shutil.copy(both, db)
    export_to(db, destination.url)
    for table in KEYS:
        assert destination.rows(db, table) == warehouse_rows(db, table), table
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{early}' AS e (READ_ONLY)")
        con.execute(f"ATTACH '{both}' AS b (READ_ONLY)")
        run_id = con.execute("SELECT max(run_id) FROM b.runs").fetchone()[0]
        repriced = con.execute("""
            SELECT b.model_id, b.provider_id, b.source, b.route, b.input_usd_per_mtok, b.output_usd_per_mtok
            FROM e.offerings e JOIN b.offerings b USING (model_id, provider_id, source, route)
            WHERE e.input_usd_per_mtok IS DISTINCT FROM b.input_usd_per_mtok
               OR e.output_usd_per_mtok IS DISTINCT FROM b.output_usd_per_mtok""").fetchall()
        history = {r[:4]: r[4] for r in con.execute("""
            SELECT model_id, provider_id, source, route, count(*) FROM b.price_history
            GROUP BY ALL""").fetchall()}
        gone = {r[0] for r in con.execute(
            "SELECT model_id FROM e.models EXCEPT SELECT model_id FROM b.models").fetchall()}
        same = {t: sum((Counter(_key_free(con, "e", t)) & Counter(_key_free(con, "b", t))).values()) for t in KEYS}
    assert repriced and gone  # the demo snapshots hold real price changes and retired models
    histories = []
    for model, provider, source, route, inp, out in repriced:
        esc = [v.replace("'", "''") for v in (model, provider, source, route)]
        where = (f"model_id = '{esc[0]}' AND provider_id = '{esc[1]}' AND source = '{esc[2]}' "
                 f"AND route = '{esc[3]}'")
        row = destination.query(f"SELECT input_usd_per_mtok, output_usd_per_mtok, versus_run_id FROM "
                                f"{destination._t('offerings')} WHERE {where}")
        assert [(_canon(r[0]), _canon(r[1]), r[2]) for r in row] == [(_canon(inp), _canon(out), run_id)]
        assert destination.count("price_history", where) == history[(model, provider, source, route)]
        histories.append(history[(model, provider, source, route)])
    assert max(histories) >= 2  # a price that changed: its old row closed and a new one, both sent
    # a model gone from the warehouse stays, marked removed
    removed = {r[0] for r in destination.query(f"SELECT model_id FROM {destination._t('models')} WHERE versus_removed")}
    assert removed == gone
    # rows the second refresh left as they were were not sent again; the others were
    second = {t: destination.loads(t) for t in KEYS}
    for table in KEYS:
        kept = sum(1 for k, load in second[table].items() if first[table].get(k) == load)
        if destination.kind == "file" and kept < len(second[table]):
            continue  # files: a changed table is replaced whole
        assert kept == same[table], table
    assert same["providers"] and same["benchmarks"]  # some tables did not change at all...
    assert same["comparisons"] < len(second["comparisons"])  # ...and the repriced pairs did


def _key_free(con, alias: str, table: str) -> list:
    return [tuple(r) for r in con.execute(f"SELECT md5(CAST(t AS VARCHAR)) FROM {alias}.{table} AS t").fetchall()]


def test_new_column_arrives_and_a_type_change_writes_nothing(demo_pair, destination, tmp_path):
    early, _ = demo_pair
    db = _at(tmp_path, early)
    export_to(db, destination.url)
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE models ADD COLUMN licence_family VARCHAR DEFAULT 'x'")
    export_to(db, destination.url)
    assert destination.count("models", "licence_family = 'x'") == destination.count("models")
    loads = {t: destination.loads(t) for t in KEYS}
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE models ADD COLUMN later VARCHAR DEFAULT 'y'")
        # DECIMAL narrowed (offerings is a view: its definition, the one column cast)
        built = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'offerings'").fetchone()[0]
        con.execute(built.replace("CREATE VIEW offerings AS", "CREATE VIEW offerings_as_built AS", 1))
        con.execute("CREATE OR REPLACE VIEW offerings AS SELECT * REPLACE (CAST(input_usd_per_mtok AS BIGINT) "
                    "AS input_usd_per_mtok) FROM offerings_as_built")
    with pytest.raises(ExportError) as failed:
        export_to(db, destination.url)
    assert "offerings" in str(failed.value) and "input_usd_per_mtok" in str(failed.value)
    assert {t: destination.loads(t) for t in KEYS} == loads
    assert "later" not in [c for c in _dest_columns(destination, "models")]


def _dest_columns(destination: Destination, table: str) -> list[str]:
    if destination.kind == "file":
        return [r[0] for r in destination.query(f"DESCRIBE {table}")]
    return [r[0] for r in destination.query(
        f"SELECT column_name FROM information_schema.columns WHERE table_schema = 'versus' AND table_name = '{table}'")]


# --- PostgreSQL: an export killed mid-load, and the password ---------------------------------------

def _versus(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([str(PROJECT_ROOT / ".venv" / "bin" / "versus"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=kw.pop("cwd", None), **kw)


def test_export_killed_mid_load_then_rerun_equals_a_clean_export(demo_pair, postgres_server, tmp_path):
    early, both = demo_pair
    dest = Destination("postgres", tmp_path, postgres_server, "kill")
    clean = Destination("postgres", tmp_path, postgres_server, "clean")
    db = _at(tmp_path, early)
    export_to(db, dest.url)
    shutil.copy(both, db)
    # A transaction holding the comparisons table makes the load wait there, other tables done.
    holder = postgres_server.connect(dest.database)
    holder.autocommit = False
    holder.cursor().execute("LOCK TABLE versus.comparisons IN ACCESS EXCLUSIVE MODE")
    proc = _versus("export", "--db", str(db), "--to", dest.url)
    try:
        deadline = time.monotonic() + 60
        while not _waiting_on_lock(postgres_server, dest.database):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        holder.rollback()
        holder.close()
    rerun = _versus("export", "--db", str(db), "--to", dest.url)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    export_to(db, clean.url)
    for table in KEYS:
        keys = dest.query("", f"SELECT versus_key, count(*) FROM versus.{table} GROUP BY 1 HAVING count(*) > 1")
        assert not keys, table
        assert dest.rows(db, table) == clean.rows(db, table) == warehouse_rows(db, table), table


@pytest.mark.parametrize("kind", ["duckdb", "file"])
def test_export_interrupted_by_sigkill_then_rerun_equals_the_warehouse(demo_pair, kind, tmp_path):
    """DuckDB and Parquet: killed as soon as dlt's normalized load package exists (loading or about
    to), the rerun completes it and sends what changed; no duplicate keys, rows as the warehouse's."""
    early, both = demo_pair
    dest = Destination(kind, tmp_path)
    db = _at(tmp_path, early)
    export_to(db, dest.url)
    shutil.copy(both, db)
    proc = _versus("export", "--db", str(db), "--to", dest.url)
    deadline = time.monotonic() + 120
    while not any(working_dir(db).glob("*/load/normalized/*")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL  # killed before it finished
    export_to(db, dest.url)
    for table in KEYS:
        keys = dest.query(f"SELECT versus_key FROM {dest._t(table)} GROUP BY 1 HAVING count(*) > 1")
        assert not keys, table
        assert dest.rows(db, table) == warehouse_rows(db, table), table


def _waiting_on_lock(server, database: str) -> bool:
    con = server.connect(database)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                        [database])
            return cur.fetchone()[0] > 0
    finally:
        con.close()


def test_password_never_printed(demo_pair, postgres_server, tmp_path):
    early, _ = demo_pair
    dest = Destination("postgres", tmp_path, postgres_server, "pw")
    db = _at(tmp_path, early)
    ok = _versus("export", "--db", str(db), "--to", dest.url)
    out, err = ok.communicate(timeout=120)
    assert ok.returncode == 0, err
    assert "postgres:***@127.0.0.1" in out
    wrong = dest.url.replace(f":{postgres_server.port}/", ":1/")
    bad = _versus("export", "--db", str(db), "--to", wrong)
    bad_out, bad_err = bad.communicate(timeout=120)
    assert bad.returncode == 2 and "postgres:***@127.0.0.1:1/" in bad_err
    for text in (out, err, bad_out, bad_err):
        assert PASSWORD not in text and "pw-Zq8s" not in text
    assert mask_url(dest.url) == dest.url.replace(dest.url.split(":")[2].split("@")[0], "***")


# --- the nightly run: `versus refresh --export-to` and the Prefect flow ------------------------------

def test_refresh_export_to_loads_after_publishing_and_a_failed_one_fails_alone(demo_pair, postgres_server, tmp_path):
    early, _ = demo_pair
    dest = Destination("postgres", tmp_path, postgres_server, "refresh")
    db = _at(tmp_path, early)
    wrong = dest.url.replace(f":{postgres_server.port}/", ":1/")
    proc = _versus("refresh", "--snapshot", str(PROJECT_ROOT / "snapshots" / "demo"), "--db", str(db),
                   "-s", "litellm", "-s", "openrouter", "--export-to", wrong, "--export-to", dest.url)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err  # the refresh published; the failed export does not change that
    assert f"Exported: exported to {mask_url(dest.url)}" in out
    assert "Export failed" in out and "127.0.0.1:1/" in out
    assert PASSWORD not in out + err
    for table in ("offerings", "comparisons", "runs"):
        assert dest.rows(db, table) == warehouse_rows(db, table), table


def test_flow_export_is_a_task_after_publish_and_its_failure_fails_that_task_only(
        demo_pair, postgres_server, prefect_server, tmp_path):
    import asyncio

    from flows.nightly import nightly_refresh
    from tests.test_flow import _artifact, _task_states

    early, _ = demo_pair
    dest = Destination("duckdb", tmp_path)
    db = _at(tmp_path, early)
    wrong = postgres_server.url("nowhere").replace(f":{postgres_server.port}/", ":1/")
    state = nightly_refresh(db=str(db), snapshot=str(PROJECT_ROOT / "snapshots" / "demo"),
                            sources=["litellm", "openrouter"], export_to=[wrong, dest.url], return_state=True)
    assert state.is_completed() and state.name == "Completed", state.message
    assert "export failed" in state.message and mask_url(wrong) in state.message
    tasks = asyncio.run(_task_states(state.state_details.flow_run_id))
    exports = sorted(s for name, s in tasks.items() if name.startswith("export-to"))
    assert exports == ["Completed", "Failed"], tasks
    summary = asyncio.run(_artifact("versus-run-summary", state.state_details.flow_run_id)).data
    assert "Exported: exported to duckdb" in summary and "Export failed" in summary
    assert PASSWORD not in summary and PASSWORD not in state.message
    assert PASSWORD not in "\n".join(asyncio.run(_logs(state.state_details.flow_run_id)))
    assert dest.rows(db, "offerings") == warehouse_rows(db, "offerings")


async def _logs(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    async with get_client() as client:
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    assert logs
    return [log.message for log in logs]


def test_the_docs_psql_queries_answer_on_the_export(demo_pair, postgres_server, tmp_path):
    import re

    early, both = demo_pair
    dest = Destination("postgres", tmp_path, postgres_server, "docs")
    db = _at(tmp_path, early)
    export_to(db, dest.url)
    shutil.copy(both, db)
    export_to(db, dest.url)
    blocks = re.findall(r"```psql\n(.*?)```", (PROJECT_ROOT / "docs" / "analyst-queries.md").read_text(), re.S)
    assert len(blocks) >= 8
    for sql in blocks:
        assert dest.query("", sql), sql
