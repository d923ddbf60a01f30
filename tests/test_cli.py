"""`versus` as a user runs it: refresh exit codes, status, locking, a kill mid-run, a reader during publish."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_SNAPSHOT, PROJECT_ROOT
from tests.test_ingest import LITELLM, variant
from warehouse.publish import connect_readonly, staged_warehouse

EARLIER = PROJECT_ROOT / "snapshots" / "demo-earlier"


def versus(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    db = tmp_path_factory.mktemp("cli") / "w.duckdb"
    return db, versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db))


def test_refresh_on_demo_snapshot_exits_0_and_prints_a_summary(refreshed):
    db, proc = refreshed
    assert proc.returncode == 0, proc.stderr
    assert "| litellm | ok |" in proc.stdout and "| huggingface | ok |" in proc.stdout
    assert "modelsdev: ok" in proc.stderr, "progress goes to stderr"
    # not a terminal: plain progress lines per source, the last one once its crawl finished
    assert re.search(r"crawl openrouter: \d+ requests done, finished, \d+ documents, \d+ errors, [\d.]+s", proc.stderr)
    assert sorted(p.name for p in db.parent.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


def test_status_reports_every_source_and_id_resolution(refreshed):
    db, _ = refreshed
    proc = versus("status", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    for source in ("genai_prices", "huggingface", "litellm", "modelsdev", "openrouter", "pricing_pages"):
        assert f"\n{source} " in proc.stdout
    assert "Model id resolution" in proc.stdout and "Conflicts per field" in proc.stdout


def test_refresh_exits_2_when_some_sources_fail(refreshed, tmp_path):
    db = tmp_path / "w.duckdb"
    db.write_bytes(refreshed[0].read_bytes())
    proc = versus("refresh", "--snapshot", str(variant(tmp_path, {LITELLM: 500})), "--db", str(db),
                  "--source", "litellm", "--source", "openrouter")
    assert proc.returncode == 2, proc.stderr
    assert "| litellm | failed |" in proc.stdout and "HTTP 500" in proc.stdout


@pytest.mark.slow  # over 0.8 s (--durations)
def test_refresh_exits_1_when_no_source_loads(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "manifest.json").write_text(json.dumps({"label": "empty", "sources": []}))
    proc = versus("refresh", "--snapshot", str(tmp_path / "empty"), "--db", str(tmp_path / "w.duckdb"),
                  "--source", "litellm")
    assert proc.returncode == 1
    assert "| litellm | skipped |" in proc.stdout and "not in this snapshot" in proc.stdout


@pytest.mark.slow  # over 0.8 s (--durations)
def test_bad_arguments_get_clear_errors(tmp_path):
    proc = versus("refresh", "--snapshot", str(tmp_path), "--db", str(tmp_path / "w.duckdb"))
    assert proc.returncode == 1 and "no manifest.json" in proc.stderr
    proc = versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--source", "nope", "--db", str(tmp_path / "w.duckdb"))
    assert proc.returncode == 1 and "unknown source(s) nope" in proc.stderr
    proc = versus("status", "--db", str(tmp_path / "missing.duckdb"))
    assert proc.returncode == 1 and "no warehouse" in proc.stderr


@pytest.mark.parametrize("command", ["refresh", "status", "compare", "export", "schedule", "cost"])
def test_every_command_explains_itself(command):
    proc = versus(command, "--help")
    assert proc.returncode == 0 and "--db" in proc.stdout


def test_a_second_refresh_exits_with_a_clear_message(refreshed):
    db, _ = refreshed
    with staged_warehouse(db):  # this process holds the refresh lock
        proc = versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db))
    assert proc.returncode == 1
    assert "another refresh holds" in proc.stderr and str(os.getpid()) in proc.stderr


@pytest.mark.slow  # more than 5 s
def test_refresh_killed_mid_run_leaves_the_published_warehouse_and_the_next_one_cleans_up(refreshed, tmp_path):
    db = tmp_path / "w.duckdb"
    db.write_bytes(refreshed[0].read_bytes())
    with duckdb.connect(str(db), read_only=True) as con:
        runs_before = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    child = subprocess.Popen([sys.executable, "-m", "flows.cli", "refresh", "--snapshot", str(DEMO_SNAPSHOT),
                              "--db", str(db)], cwd=PROJECT_ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("w.duckdb.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert list(tmp_path.glob("w.duckdb.staging-*")), "the kill landed mid-run"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == runs_before
    proc = versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "regenerated 0;" in proc.stdout, "nothing changed, so no pair is recomputed"
    assert not list(tmp_path.glob("w.duckdb.staging-*"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == runs_before + 1


@pytest.mark.slow  # more than 5 s
def test_a_reader_holding_the_warehouse_neither_blocks_nor_sees_a_half_written_state(tmp_path):
    db = tmp_path / "w.duckdb"
    assert versus("refresh", "--snapshot", str(EARLIER), "--db", str(db)).returncode in (0, 2)
    reader = duckdb.connect(str(db), read_only=True)
    before = reader.execute("SELECT count(*) FROM price_history").fetchone()[0]
    proc = versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert reader.execute("SELECT count(*) FROM price_history").fetchone()[0] == before
    reader.close()
    with connect_readonly(db) as fresh:
        assert fresh.execute("SELECT count(*) FROM price_history").fetchone()[0] > before
        assert fresh.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


@pytest.mark.slow  # over 0.8 s (--durations)
def test_refresh_on_a_terminal_shows_a_live_bar_per_source(tmp_path):
    import pty
    import threading

    leader, follower = pty.openpty()
    shown = bytearray()

    def drain():  # read as it comes: a full terminal buffer would block the child
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "refresh", "--snapshot", str(DEMO_SNAPSHOT),
                           "--db", str(tmp_path / "w.duckdb"), "-s", "litellm", "-s", "genai_prices"],
                          stdout=subprocess.PIPE, stderr=follower, cwd=PROJECT_ROOT, timeout=300,
                          env={**os.environ, "COLUMNS": "200", "TERM": "xterm"})
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    assert proc.returncode == 0
    text = shown.decode(errors="replace")
    assert "\x1b[" in text and "━" in text, "a Rich bar, drawn with terminal escapes"
    assert "litellm: 1 requests done, finished, 1 documents, 0 errors" in text
    assert "crawl litellm:" not in text, "no plain lines on a terminal"


def test_schedule_passes_every_export_destination_to_the_deployment_and_never_prints_a_password(tmp_path, monkeypatch):
    """`versus schedule --export-to` (repeatable) reaches the nightly flow's `export_to` parameter;
    what it prints shows each URL with its password masked. `prefect.serve` is replaced by a
    recorder so the command returns instead of serving forever: the deployment is Prefect's own."""
    import prefect
    from typer.testing import CliRunner

    from flows.cli import app

    served = []
    monkeypatch.setattr(prefect, "serve", lambda *deployments: served.extend(deployments))
    secret = "s3cr%40t-pw"  # percent-encoded '@', as a URL carries it
    pg, parquet = f"postgresql://analyst:{secret}@db.internal:5432/analytics", f"file://{tmp_path}/parquet"
    result = CliRunner().invoke(app, ["schedule", "--cron", "0 3 * * *", "--timezone", "Europe/Paris",
                                      "--db", str(tmp_path / "w.duckdb"), "--export-to", pg, "--export-to", parquet])
    assert result.exit_code == 0, result.output
    (deployment,) = served
    assert deployment.parameters["export_to"] == [pg, parquet]  # the flow needs the password to connect
    assert deployment.parameters["db"] == str((tmp_path / "w.duckdb").resolve())
    printed = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "postgresql://analyst:***@db.internal:5432/analytics" in printed and parquet in printed
    assert secret not in printed and "s3cr@t-pw" not in printed
