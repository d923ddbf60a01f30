"""A copy of `snapshots/demo` with edited payloads: hostile or changed inputs for real pipeline runs.

`demo_copy` copies the demo snapshot's files of the named sources into a folder, lets a function
edit each JSON (or YAML) payload, and rewrites the manifest (sha256 and bytes from the edited
files), so the copy replays, loads and reconciles as any recorded snapshot does.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from scrapers.snapshot import Snapshot
from tests.conftest import DEMO_SNAPSHOT
from tests.replay_helpers import snapshot_copy
from warehouse.load import load_snapshot_files
from warehouse.reconcile import reconcile

OPENROUTER_FILE = "openrouter/models.json"
AIDER_FILE = "aider/polyglot_leaderboard.yml"
LITELLM_FILE = "litellm/model_prices_and_context_window.json"


def demo_copy(dest: Path, sources: set[str], edits: dict[str, Callable[[object], object]] | None = None,
              as_of: str | None = None, base: Path = DEMO_SNAPSHOT) -> Path:
    """`dest` holding `base`'s files of `sources`, each file named in `edits` replaced by its edit of
    the parsed JSON (or YAML); `as_of` (when given) dates every document."""
    snapshot = Snapshot(base)
    bodies = {}
    for entry in snapshot.manifest.sources:
        if edits and entry.file in edits:
            raw = snapshot.path(entry).read_bytes()
            if entry.file.endswith((".yml", ".yaml")):
                bodies[entry.file] = yaml.safe_dump(edits[entry.file](yaml.safe_load(raw)), sort_keys=False).encode()
            else:
                bodies[entry.file] = json.dumps(edits[entry.file](json.loads(raw))).encode()
    dated = {entry.file: as_of for entry in snapshot.manifest.sources} if as_of else None
    return snapshot_copy(dest, sources, bodies, as_of=dated, base=base)


def run(con, folder: Path, at: datetime, run_id: int, sources: set[str]) -> None:
    """Load `folder`'s files of `sources` (extraction and landing, as a replayed crawl spools
    them) and reconcile: one night of the pipeline without the crawl."""
    load_snapshot_files(con, run_id, folder, at, only=sources)
    reconcile(con, run_id, at)


def openrouter_entry(payload: dict, model_id: str) -> dict:
    """The demo OpenRouter payload's entry for `model_id`."""
    return next(m for m in payload["data"] if m["id"] == model_id)
