"""Replays of edited copies of the demo snapshot through the real crawl and loader, for the tests of
hostile and broken input (tests/test_hostile_ingest.py, tests/test_held.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from flows.steps import crawl_source, load_crawl
from scrapers.snapshot import Snapshot, write_manifest
from tests.conftest import DEMO_SNAPSHOT
from warehouse.db import connect
from warehouse.load import SNAPSHOT_FOLDER_SOURCE, SourceLoad
from warehouse.runs import finish_run, record_source, start_run

LITELLM = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
LITELLM_FILE = "litellm/model_prices_and_context_window.json"
AIDER = "https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"
AIDER_FILE = "aider/polyglot_leaderboard.yml"


def snapshot_copy(dest: Path, sources: set[str], bodies: dict[str, bytes] | None = None,
                  rewrite_manifest: bool = True, as_of: dict[str, str] | None = None,
                  base: Path = DEMO_SNAPSHOT) -> Path:
    """`dest` holding the demo snapshot's files of `sources`, each file named in `bodies` replaced by
    those bytes, each named in `as_of` dated so; the manifest is rewritten from the files (sha256,
    bytes) unless `rewrite_manifest` is False, when it keeps the demo's own sha256 and bytes. `base`:
    another snapshot to copy from."""
    snapshot = Snapshot(base)
    entries = []
    for entry in snapshot.manifest.sources:
        top = entry.file.split("/")[0]
        if SNAPSHOT_FOLDER_SOURCE.get(top, top) not in sources:
            continue
        target = dest / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(snapshot.path(entry), target)
        target.chmod(0o644)
        if bodies and entry.file in bodies:
            target.write_bytes(bodies[entry.file])
        entries.append(entry.model_copy(update={"as_of": as_of[entry.file]} if as_of and entry.file in as_of else {}))
    if rewrite_manifest:
        write_manifest(dest, dest.name, entries)
    else:
        (dest / "manifest.json").write_text(
            snapshot.manifest.model_copy(update={"sources": entries}).model_dump_json(indent=2))
    return dest


def replay(db: Path, snapshot: Path, sources: list[str], spool: Path) -> tuple[dict[str, SourceLoad], str]:
    """One run: each source crawled from `snapshot` in a child process through Scrapy's engine, then
    loaded into `db`; returns each source's load and the run's status."""
    con = connect(db)
    run_id = start_run(con, str(snapshot), Snapshot(snapshot).data_date)
    loads = {}
    for source in sources:
        crawl = crawl_source(source, spool / str(run_id), snapshot)
        loads[source] = load_crawl(con, run_id, crawl, spool / str(run_id))
        record_source(con, run_id, loads[source])
    status = finish_run(con, run_id)
    con.close()
    return loads, status


def current(db: Path, source: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (fetched_at) FROM current_observations WHERE source = ? ORDER BY ALL",
                           [source]).fetchall()
