"""Shared test fixtures."""
import os
from pathlib import Path

import pytest

from tests.postgres import postgres_server  # noqa: F401  (a session's PostgreSQL cluster)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_SNAPSHOTS = PROJECT_ROOT.parent / "shared" / "snapshots"
DEMO_SNAPSHOT = PROJECT_ROOT / "snapshots" / "demo"


# Fixtures (here or in a test module) that build a 2026-08 warehouse, start a server or take more than
# 5 s to set up (measured with --durations): every test using one is marked slow.
SLOW_FIXTURES = frozenset({"august", "august_file", "prefect_server", "postgres_server", "demo_site",
                           "refreshed", "demo_pair", "demo_db"})


def pytest_collection_modifyitems(items):
    """Mark `shared` every test that reads ../shared, and `slow` every test using a SLOW_FIXTURES one."""
    for item in items:
        if "shared_snapshots" in item.fixturenames:
            item.add_marker(pytest.mark.shared)
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_snapshots() -> Path:
    """The real recorded snapshots beside the project. CI (CI=true) has them, so there a test that
    needs them fails when they are absent; elsewhere it skips."""
    if not (SHARED_SNAPSHOTS / "2026-08" / "manifest.json").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the shared snapshots are absent: {SHARED_SNAPSHOTS}")
        pytest.skip("../shared/snapshots is absent")
    return SHARED_SNAPSHOTS


@pytest.fixture(scope="session")
def demo_snapshot() -> Path:
    return DEMO_SNAPSHOT


@pytest.fixture
def con():
    """An empty in-memory warehouse with the schema applied."""
    import duckdb

    from warehouse.db import apply_schema

    con = duckdb.connect()
    apply_schema(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect server for the whole test session (it takes about 15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """A warehouse refreshed from `snapshots/demo-earlier` then `snapshots/demo` (real price
    changes in price_history; the second refresh builds the site with --site-dir), and the site
    `versus site` then rebuilds from it: (db, site dir)."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("site")
    db, out = root / "w.duckdb", root / "site"
    for snapshot, site in (("demo-earlier", []), ("demo", ["--site-dir", str(out)])):
        proc = subprocess.run([sys.executable, "-m", "flows.cli", "refresh", "--snapshot",
                               str(PROJECT_ROOT / "snapshots" / snapshot), "--db", str(db), *site],
                              capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
        assert proc.returncode == 0, proc.stderr  # demo-earlier: the sources it lacks are skipped
    (root / "refresh-summary.md").write_text(proc.stdout, encoding="utf-8")  # the refresh built the site first
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "site", "--out", str(out), "--db", str(db)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return db, out


@pytest.fixture(scope="session")
def august(shared_snapshots):
    """The 2026-08 shared snapshot's four aggregator sources, loaded and reconciled (as
    tests/test_reconcile.py does) into one in-memory warehouse shared by the cost tests."""
    from datetime import datetime, timezone

    import duckdb

    from warehouse.db import apply_schema
    from warehouse.load import load_snapshot_files
    from warehouse.reconcile import reconcile

    con = duckdb.connect()
    apply_schema(con)
    at = datetime(2026, 8, 22, tzinfo=timezone.utc)
    load_snapshot_files(con, 1, shared_snapshots / "2026-08", at,
                        only=["modelsdev", "openrouter", "litellm", "genai_prices"])
    reconcile(con, 1, at)
    yield con
    con.close()


@pytest.fixture(scope="session")
def august_file(august, tmp_path_factory) -> Path:
    """`august` copied into a DuckDB file, for the CLI to open read-only."""
    path = tmp_path_factory.mktemp("august") / "august.duckdb"
    august.execute(f"ATTACH '{path}' AS copy")
    try:
        august.execute("COPY FROM DATABASE memory TO copy")
    finally:
        august.execute("DETACH copy")
    return path
