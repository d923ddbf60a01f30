"""The demo warehouse for the record and comparison tests: pipeline output, never hand-entered.

A real `versus refresh` replays `snapshots/demo` once per test session (crawls through Scrapy in
child processes, load, reconcile, comparisons: run 1, every source ok); each call of
`demo_warehouse` gets its own copy of that warehouse, so a test may change it freely.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

import duckdb


DEMO = Path(__file__).resolve().parent.parent / "snapshots" / "demo"
LARGE = "mistralai/mistral-large-2407"
SMALL = "mistralai/mistral-small-2603"
QWEN = "qwen/qwen2-7b-instruct"


@cache
def demo_template() -> Path:
    """The demo refresh's warehouse file, built once per session (removed at exit)."""
    from flows.refresh import RefreshOptions, refresh

    folder = Path(tempfile.mkdtemp(prefix="versus-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / "demo.duckdb"
    report = refresh(RefreshOptions(db=db, snapshot=DEMO), progress=lambda line: None)
    assert report.status == "ok", {s: load.errors for s, load in report.loads.items() if load.errors}
    return db


def demo_warehouse(path: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A copy of the reconciled demo warehouse (run 1, every source ok), in memory or at `path`."""
    template = demo_template()
    if str(path) == ":memory:":
        con = duckdb.connect()
        con.execute(f"ATTACH '{template}' AS demo (READ_ONLY)")
        con.execute("COPY FROM DATABASE demo TO memory")
        con.execute("DETACH demo")
        return con
    shutil.copyfile(template, path)
    return duckdb.connect(str(path))
