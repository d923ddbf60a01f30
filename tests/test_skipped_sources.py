"""A source the replayed snapshot holds nothing of is skipped, not failed: exit codes, ledger, last data."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_SNAPSHOT
from tests.test_cli import refreshed, versus  # noqa: F401  (module fixture: one demo refresh)


def without(tmp_path: Path, drop) -> Path:
    """A copy of the demo snapshot whose manifest lacks the entries `drop(entry)` selects."""
    root = tmp_path / "snapshot"
    shutil.copytree(DEMO_SNAPSHOT, root)
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["sources"] = [e for e in manifest["sources"] if not drop(e)]
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def last_run(db: Path) -> dict[str, tuple[str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {s: (st, e) for s, st, e in con.execute(
            "SELECT source, status, error FROM run_sources WHERE run_id = (SELECT max(run_id) FROM runs)").fetchall()}


def test_a_source_the_snapshot_never_recorded_is_skipped_keeps_its_data_and_moves_no_review(refreshed, tmp_path):
    db = tmp_path / "w.duckdb"
    db.write_bytes(refreshed[0].read_bytes())
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE comparisons SET last_reviewed = DATE '2020-01-01'")
        kept = con.execute("SELECT count(*) FROM current_observations WHERE source = 'pricing_pages'").fetchone()[0]
    proc = versus("refresh", "--snapshot", str(without(tmp_path, lambda e: e["file"].startswith("pricing_pages/"))),
                  "--db", str(db))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| pricing_pages | skipped | 0 | 0 | 0 | not in this snapshot |" in proc.stdout
    assert "pricing_pages: skipped (not in this snapshot)" in proc.stderr
    outcome = last_run(db)
    assert outcome.pop("pricing_pages") == ("skipped", "not in this snapshot")
    assert {st for st, _ in outcome.values()} == {"ok"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM current_observations WHERE source = 'pricing_pages'"
                           ).fetchone()[0] == kept > 0, "the skipped source's last good data stays current"
        dates = dict(con.execute("""
            SELECT list_contains(a.sources, 'pricing_pages') OR list_contains(b.sources, 'pricing_pages'),
                   max(c.last_reviewed)::VARCHAR || ' ' || min(c.last_reviewed)::VARCHAR
            FROM comparisons c JOIN comparison_models a ON a.model_id = c.model_a
                 JOIN comparison_models b ON b.model_id = c.model_b GROUP BY 1""").fetchall())
    assert dates[True] == "2020-01-01 2020-01-01", "pairs that depend on the skipped source keep their date"
    assert "2020-01-01" not in dates[False], "every other pair was reviewed in this run"


def test_a_source_with_a_required_document_missing_still_fails_as_a_404(refreshed, tmp_path):
    db = tmp_path / "w.duckdb"
    db.write_bytes(refreshed[0].read_bytes())
    pages = [e["url"] for e in json.loads((DEMO_SNAPSHOT / "manifest.json").read_text())["sources"]
             if e["file"].startswith("pricing_pages/")]
    assert len(pages) >= 2
    proc = versus("refresh", "--snapshot", str(without(tmp_path, lambda e: e["url"] == pages[0])), "--db", str(db),
                  "--source", "pricing_pages", "--source", "litellm")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    status, error = last_run(db)["pricing_pages"]
    assert status == "failed" and f"{pages[0]}: HTTP 404" in error


@pytest.mark.slow  # over 0.8 s (--durations)
def test_every_source_skipped_means_none_loaded_exit_1(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "manifest.json").write_text(json.dumps({"label": "empty", "sources": []}))
    proc = versus("refresh", "--snapshot", str(tmp_path / "empty"), "--db", str(tmp_path / "w.duckdb"),
                  "--source", "litellm", "--source", "openrouter")
    assert proc.returncode == 1
    assert last_run(tmp_path / "w.duckdb") == {"litellm": ("skipped", "not in this snapshot"),
                                               "openrouter": ("skipped", "not in this snapshot")}


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_the_shared_2026_08_snapshot_refreshes_ok_with_cards_and_pages_skipped(shared_snapshots, tmp_path):
    proc = versus("refresh", "--snapshot", str(shared_snapshots / "2026-08"), "--db", str(tmp_path / "w.duckdb"))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    outcome = last_run(tmp_path / "w.duckdb")
    assert outcome.pop("huggingface") == outcome.pop("pricing_pages") == ("skipped", "not in this snapshot")
    assert outcome and {st for st, _ in outcome.values()} == {"ok"}
