"""A replay requests only what its snapshot holds: an optional document the manifest lacks is
recorded as the replay's 404 without a request (issue 20: OpenRouter's per-model endpoint pages)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEMO = PROJECT / "snapshots" / "demo"


def test_a_replay_does_not_request_the_endpoint_pages_its_snapshot_lacks(tmp_path):
    run = subprocess.run([sys.executable, "-m", "scrapers.crawl", "openrouter", "--spool", str(tmp_path),
                          "--snapshot", str(DEMO)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    listed = [m["id"] for m in json.loads((DEMO / "openrouter" / "models.json").read_text())["data"]]
    held = {e["url"] for e in json.loads((DEMO / "manifest.json").read_text())["sources"]}
    endpoints = {f"https://openrouter.ai/api/v1/models/{m}/endpoints" for m in listed}
    assert len(endpoints) == 22 and not endpoints & held  # the demo holds the list, none of its endpoint pages
    stats = json.loads((tmp_path / "openrouter" / "crawl.json").read_text())
    assert stats["scheduler/enqueued"] == 1  # the model list only
    assert (stats["snapshot/answered"], stats["snapshot/missing"]) == (1, 22)
    spooled = {d["url"]: d for d in map(json.loads, (tmp_path / "openrouter" / "documents.jsonl").read_text().splitlines())}
    assert set(spooled) == endpoints | {"https://openrouter.ai/api/v1/models"}
    for url in endpoints:  # what the replay's 404 gave before: optional, status 404, no body
        assert (spooled[url]["status"], spooled[url]["error"], spooled[url]["required"], spooled[url]["bytes"]) == \
            (404, "HTTP 404", False, 0)
