"""An unchanged night recomputes no model, and leaves the warehouse a full recompute would.

Each test builds a warehouse night by night (the real loader over a snapshot's files, reconcile,
comparisons), copies it, then runs the same next night twice from the same state: once as the
nightly does (incremental) and once recomputing every model (`reconcile(..., full=True)`), and
compares the two files table by table, run metadata aside: the `runs` table and the wall-clock
times a step stamps (when a source's load finished, when a pair was computed). Each night's
fetch time is the same in both, so fetch times (offerings' last_seen) are compared too.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from scrapers.snapshot import Snapshot
from tests.replay_helpers import LITELLM_FILE, snapshot_copy
from warehouse.comparisons import refresh_comparisons
from warehouse.db import connect
from warehouse.load import load_snapshot_files
from warehouse.reconcile import ReconcileSummary, reconcile
from warehouse.runs import finish_run, record_source, start_run

PRICE_SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices"]
ALL_SOURCES = PRICE_SOURCES + ["pricing_pages", "huggingface", "lmarena", "aider"]
# table -> wall-clock columns left out (None: the whole table)
RUN_METADATA = {"runs": None, "run_sources": ["finished_at"], "comparison_models": ["changed_at"],
                "comparisons": ["generated_at", "changed_at"], "pair_requests": ["requested_at"]}


def night(db: Path, snapshot: Path, fetched_at: datetime, sources: list[str], live: bool = False,
          full: bool = False) -> ReconcileSummary:
    """One night over `snapshot`'s files fetched at `fetched_at` (a live run when `live`: the data's
    date is then the fetch time), as flows.refresh runs it, crawls aside."""
    with connect(db) as con:
        run_id = start_run(con, None if live else str(snapshot), None if live else Snapshot(snapshot).data_date)
        loads = load_snapshot_files(con, run_id, snapshot, fetched_at, only=sources)
        for load in loads.values():
            record_source(con, run_id, load)
        summary = reconcile(con, run_id, fetched_at, full=full)
        summary.loads = loads  # what the loader did, for the tests
        refresh_comparisons(con, run_id, fetched_at.date())
        finish_run(con, run_id)
    return summary


def differences(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Per table: rows only in a and only in b (run metadata aside); empty when the files agree."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables = sorted(r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'a'").fetchall())
    assert tables == sorted(r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'b'").fetchall())
    found = {}
    for table in tables:
        if table in RUN_METADATA and RUN_METADATA[table] is None:
            continue
        left_out = RUN_METADATA.get(table) or []
        columns = ", ".join(f'"{c}"' for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall() if c not in left_out)
        only_a, only_b = (con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM {x}.{table} "
                                      f"EXCEPT ALL SELECT {columns} FROM {y}.{table})").fetchone()[0]
                          for x, y in (("a", "b"), ("b", "a")))
        if only_a or only_b:
            found[table] = (only_a, only_b)
    con.close()
    return found


def next_night_both_ways(tmp_path: Path, db: Path, snapshot: Path, fetched_at: datetime, sources: list[str],
                         live: bool = False) -> tuple[ReconcileSummary, ReconcileSummary]:
    """The next night from `db`'s state, incremental in `db` and recomputing every model in a copy;
    asserts the two warehouses are the same; returns both reconcile summaries."""
    full_db = tmp_path / "full.duckdb"
    shutil.copyfile(db, full_db)
    incremental = night(db, snapshot, fetched_at, sources, live=live)
    full = night(full_db, snapshot, fetched_at, sources, live=live, full=True)
    assert full.recomputed_models == full.models
    assert differences(db, full_db) == {}
    full_db.unlink()
    return incremental, full


AUG_22 = datetime(2026, 8, 22, 3, tzinfo=timezone.utc)


@pytest.mark.slow  # over 0.8 s (--durations)
def test_demo_unchanged_night_recomputes_nothing_and_matches_a_full_recompute(tmp_path, demo_snapshot):
    db = tmp_path / "w.duckdb"
    first = night(db, demo_snapshot.parent / "demo-earlier", AUG_22, ALL_SOURCES)
    changed = night(db, demo_snapshot, AUG_22.replace(day=23), ALL_SOURCES)  # new documents: every model
    assert first.recompute_reason == "no earlier reconcile state"
    assert changed.recomputed_models == changed.models
    assert changed.recompute_reason.startswith("inputs changed")

    unchanged, _ = next_night_both_ways(tmp_path, db, demo_snapshot, AUG_22.replace(day=24), ALL_SOURCES)
    assert (unchanged.recomputed_models, unchanged.recompute_reason) == (0, None)
    # no document's body changed: each is known by its sha256, nothing re-extracted
    assert all(load.unchanged == load.documents > 0 for load in unchanged.loads.values())
    assert unchanged.models == changed.models
    with duckdb.connect(str(db), read_only=True) as con:  # the listed routes were seen by this night's fetch
        assert con.execute("SELECT count(*) FROM offerings WHERE active AND last_seen <> ?",
                           [AUG_22.replace(day=24)]).fetchone()[0] == 0


@pytest.mark.slow  # over 0.8 s (--durations)
def test_demo_a_changed_body_of_the_same_date_recomputes(tmp_path, demo_snapshot):
    """A document whose body changed, its as-of and the snapshot's date the same, is a change:
    LiteLLM's gpt-4o-mini input price edited from $0.15 to $0.30 per million tokens lands."""
    db = tmp_path / "w.duckdb"
    night(db, demo_snapshot, AUG_22, ALL_SOURCES)
    prices = json.loads((demo_snapshot / LITELLM_FILE).read_text())
    assert prices["gpt-4o-mini"]["input_cost_per_token"] == 1.5e-07
    prices["gpt-4o-mini"]["input_cost_per_token"] = 3e-07
    edited = snapshot_copy(tmp_path / "edited", set(ALL_SOURCES), bodies={LITELLM_FILE: json.dumps(prices).encode()})
    assert Snapshot(edited).data_date == Snapshot(demo_snapshot).data_date
    changed, _ = next_night_both_ways(tmp_path, db, edited, AUG_22.replace(day=23), ALL_SOURCES)
    assert changed.recomputed_models == changed.models
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT input_usd_per_mtok FROM offerings WHERE source = 'litellm' AND route = 'gpt-4o-mini'"
                           ).fetchone()[0] == Decimal("0.30")


@pytest.mark.slow  # more than 5 s
def test_demo_live_night_whose_date_reaches_a_retirement_recomputes(tmp_path, demo_snapshot):
    """Live, the data's date is the fetch time: an unchanged night before a stated retirement date
    recomputes nothing; the first one after it retires the route (Claude Sonnet 4.5 on Vertex AI,
    retired on 2026-09-29 as LiteLLM and models.dev state) as a full recompute does."""
    db = tmp_path / "w.duckdb"
    night(db, demo_snapshot, AUG_22, ALL_SOURCES, live=True)
    before, _ = next_night_both_ways(tmp_path, db, demo_snapshot, datetime(2026, 9, 28, 3, tzinfo=timezone.utc),
                                     ALL_SOURCES, live=True)
    assert before.recomputed_models == 0
    after, _ = next_night_both_ways(tmp_path, db, demo_snapshot, datetime(2026, 9, 30, 3, tzinfo=timezone.utc),
                                    ALL_SOURCES, live=True)
    assert after.recomputed_models == after.models
    assert "retirement date" in after.recompute_reason
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT status, active FROM offerings WHERE model_id = 'anthropic/claude-sonnet-4.5' "
                           "AND provider_id = 'google-vertex'").fetchall() == [("retired", False)]


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_2026_08_twice(tmp_path, shared_snapshots):
    db = tmp_path / "w.duckdb"
    night(db, shared_snapshots / "2026-08", AUG_22, PRICE_SOURCES + ["lmarena", "aider"])
    rerun, _ = next_night_both_ways(tmp_path, db, shared_snapshots / "2026-08", AUG_22.replace(day=23),
                                    PRICE_SOURCES + ["lmarena", "aider"])
    assert rerun.recomputed_models == 0 and rerun.models > 1_000


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_2026_01_then_2026_08(tmp_path, shared_snapshots):
    db = tmp_path / "w.duckdb"
    sources = PRICE_SOURCES + ["lmarena", "aider"]
    night(db, shared_snapshots / "2026-01", datetime(2026, 1, 20, 3, tzinfo=timezone.utc), sources)
    august, _ = next_night_both_ways(tmp_path, db, shared_snapshots / "2026-08", AUG_22, sources)
    assert august.recomputed_models == august.models  # every document changed
    rerun, _ = next_night_both_ways(tmp_path, db, shared_snapshots / "2026-08", AUG_22.replace(day=23), sources)
    assert rerun.recomputed_models == 0
