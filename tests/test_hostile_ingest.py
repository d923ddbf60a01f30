"""Hostile and broken documents (issue 21, "Found by probing", 1, 2, 4, 5): each fails its own
document, named by source and URL, through a real replayed crawl and the loader, and loses nothing
stored earlier. The hostile inputs are generated here, small."""
from __future__ import annotations

import json
import shutil

import pytest

from scrapers.snapshot import Snapshot, SnapshotError
from tests.conftest import DEMO_SNAPSHOT
from tests.replay_helpers import AIDER, AIDER_FILE, LITELLM, LITELLM_FILE, current, replay, snapshot_copy
from tests.test_cli import versus

OPENROUTER = "https://openrouter.ai/api/v1/models"
DEMO_LITELLM = (DEMO_SNAPSHOT / LITELLM_FILE).read_bytes()
DEMO_AIDER = (DEMO_SNAPSHOT / AIDER_FILE).read_bytes()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A warehouse that replayed the demo's LiteLLM, genai-prices and Aider documents once, all ok."""
    tmp = tmp_path_factory.mktemp("hostile")
    loads, status = replay(tmp / "w.duckdb", DEMO_SNAPSHOT, ["litellm", "genai_prices", "aider"], tmp / "spool")
    assert status == "ok", {s: l.reason for s, l in loads.items()}
    return tmp / "w.duckdb"


@pytest.fixture
def db(base, tmp_path):
    shutil.copy(base, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb"


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_deeply_nested_document_fails_that_source_alone_named(db, tmp_path):
    """A LiteLLM file ending in 10,000 nested `[`: a RecursionError crashed the whole run."""
    before = current(db, "litellm")
    body = DEMO_LITELLM.rstrip().rstrip(b"}") + b', "deep": ' + b"[" * 10_000
    snapshot = snapshot_copy(tmp_path / "snap", {"litellm", "genai_prices"}, {LITELLM_FILE: body})
    loads, status = replay(db, snapshot, ["litellm", "genai_prices"], tmp_path / "spool")
    assert status == "partial" and loads["genai_prices"].status == "ok"
    assert loads["litellm"].errors == [f"{LITELLM}: invalid JSON: nested too deeply to parse"]
    assert current(db, "litellm") == before, "the last good document stays current"


def alias_bomb(levels: int = 6) -> bytes:
    """Nested YAML anchors, each level nine aliases of the one before (Aider's leaderboard shape)."""
    lines = ['- &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"- &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_yaml_alias_bomb_is_refused_before_it_expands(db, tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", {"aider"}, {AIDER_FILE: alias_bomb()})
    loads, status = replay(db, snapshot, ["aider"], tmp_path / "spool")
    assert status == "failed"
    (error,) = loads["aider"].errors
    assert error.startswith(f"{AIDER}: invalid YAML: alias *a0: aliases are not accepted"), error
    assert "line 2" in error


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_document_above_its_sources_size_bound_fails_unparsed(db, tmp_path):
    """Aider's bound is 4 MiB (pipeline/sources.yaml); a valid leaderboard padded past it fails."""
    body = DEMO_AIDER + b"# " + b"x" * (4 * 1024 * 1024) + b"\n"
    snapshot = snapshot_copy(tmp_path / "snap", {"aider"}, {AIDER_FILE: body})
    loads, status = replay(db, snapshot, ["aider"], tmp_path / "spool")
    assert loads["aider"].errors == [f"{AIDER}: the document is {len(body):,} bytes, above aider's bound of "
                                     "4,194,304 (max_document_bytes in pipeline/sources.yaml)"]


def half_the_keys(body: bytes) -> bytes:
    payload = json.loads(body)
    return json.dumps(dict(list(payload.items())[: len(payload) // 2])).encode()


def same_size_other_bytes(body: bytes) -> bytes:
    """One price digit changed: the same length, another sha256."""
    at = body.index(b'"input_cost_per_token": ') + len(b'"input_cost_per_token": ')
    digit = body[at:at + 1]
    return body[:at] + (b"9" if digit != b"9" else b"8") + body[at + 1:]


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("edit, says", [(half_the_keys, "bytes, the manifest says"),
                                        (same_size_other_bytes, "the manifest says")])
def test_a_file_that_is_not_the_one_the_manifest_recorded_fails_that_document(db, tmp_path, edit, says):
    """A replaced file with the old manifest: its sha256 (and size) are checked on replay."""
    before = current(db, "litellm")
    body = edit(DEMO_LITELLM)
    snapshot = snapshot_copy(tmp_path / "snap", {"litellm", "genai_prices"}, {LITELLM_FILE: body},
                             rewrite_manifest=False)
    loads, status = replay(db, snapshot, ["litellm", "genai_prices"], tmp_path / "spool")
    assert status == "partial" and loads["genai_prices"].status == "ok"
    (error,) = loads["litellm"].errors
    assert error.startswith(f"{LITELLM}: SnapshotError: ") and f"{LITELLM_FILE} for {LITELLM}" in error, error
    assert says in error
    assert current(db, "litellm") == before


def test_a_manifest_listing_one_url_twice_is_refused(db, tmp_path):
    """A second OpenRouter models entry pointing at a 3-model file: the last one won, silently."""
    snapshot = snapshot_copy(tmp_path / "snap", {"openrouter"})
    payload = json.loads((snapshot / "openrouter/models.json").read_text())
    (snapshot / "openrouter/three.json").write_text(json.dumps({"data": payload["data"][:3]}))
    manifest = json.loads((snapshot / "manifest.json").read_text())
    first = next(e for e in manifest["sources"] if e["url"] == OPENROUTER)
    manifest["sources"].append({**first, "file": "openrouter/three.json"})
    (snapshot / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SnapshotError, match=f"{OPENROUTER} is listed twice"):
        Snapshot(snapshot)
    proc = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), "-s", "openrouter")
    assert proc.returncode == 1
    assert "listed twice ('openrouter/models.json' and 'openrouter/three.json')" in proc.stderr, proc.stderr


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_live_download_larger_than_its_sources_bound_is_cancelled(tmp_path):
    """Live, the bound is the download's own: Scrapy cancels it (`download_maxsize`), the loader never sees it."""
    from tests.live_server import SnapshotServer
    from tests.test_live import live_run

    body = DEMO_AIDER + b"# " + b"x" * (4 * 1024 * 1024) + b"\n"
    snapshot = snapshot_copy(tmp_path / "snap", {"aider"}, {AIDER_FILE: body})
    with SnapshotServer(snapshot) as server:
        loads = live_run(tmp_path / "w.duckdb", server, None, tmp_path / "spool", sources=["aider"])
        assert len(server.requests_for(AIDER)) == 1, "asked once (a cancelled download is not retried)"
    (error,) = loads["aider"].errors
    assert error.startswith(f"{AIDER}: ") and "larger than download max size (4194304)" in error, error
