"""A copy of `snapshots/demo` with edited payloads: hostile or changed inputs for real pipeline runs.

`demo_copy` copies the demo snapshot's files of the named sources into a folder, lets a function
edit each JSON (or YAML) payload, and rewrites the manifest (sha256 and bytes from the edited
files), so the copy replays, loads and reconciles as any recorded snapshot does.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from scrapers.snapshot import Snapshot, write_manifest
from tests.conftest import DEMO_SNAPSHOT
from warehouse.load import SNAPSHOT_FOLDER_SOURCE, load_snapshot_files
from warehouse.reconcile import reconcile

OPENROUTER_FILE = "openrouter/models.json"
AIDER_FILE = "aider/polyglot_leaderboard.yml"
LITELLM_FILE = "litellm/model_prices_and_context_window.json"


def demo_copy(dest: Path, sources: set[str], edits: dict[str, Callable[[object], object]] | None = None,
              as_of: str | None = None, base: Path = DEMO_SNAPSHOT) -> Path:
    """`dest` holding `base`'s files of `sources`, each file named in `edits` replaced by its edit of
    the parsed JSON; `as_of` (when given) dates every document."""
    snapshot = Snapshot(base)
    entries = []
    for entry in snapshot.manifest.sources:
        top = entry.file.split("/")[0]
        if SNAPSHOT_FOLDER_SOURCE.get(top, top) not in sources:
            continue
        target = dest / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if edits and entry.file in edits and entry.file.endswith((".yml", ".yaml")):
            payload = edits[entry.file](yaml.safe_load(snapshot.path(entry).read_bytes()))
            target.write_text(yaml.safe_dump(payload, sort_keys=False), encoding="utf-8")
        elif edits and entry.file in edits:
            payload = edits[entry.file](json.loads(snapshot.path(entry).read_bytes()))
            target.write_text(json.dumps(payload), encoding="utf-8")
        else:
            shutil.copyfile(snapshot.path(entry), target)
        entries.append(entry.model_copy(update={"as_of": as_of} if as_of else {}))
    write_manifest(dest, dest.name, entries)
    return dest


def run(con, folder: Path, at: datetime, run_id: int, sources: set[str]) -> None:
    """Load `folder`'s files of `sources` (extraction and landing, as a replayed crawl spools
    them) and reconcile: one night of the pipeline without the crawl."""
    load_snapshot_files(con, run_id, folder, at, only=sources)
    reconcile(con, run_id, at)


def openrouter_entry(payload: dict, model_id: str) -> dict:
    """The demo OpenRouter payload's entry for `model_id`."""
    return next(m for m in payload["data"] if m["id"] == model_id)
