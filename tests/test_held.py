"""The held-document guard: a new document stating fewer than half (`hold_below`, pipeline/sources.yaml)
of the models/routes its URL's last accepted document stated is stored but not applied, the run exits
2, and `versus accept SOURCE` applies it. Real `versus` runs over copies of the demo snapshot."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_SNAPSHOT
from tests.replay_helpers import LITELLM, LITELLM_FILE, current, snapshot_copy
from tests.test_cli import versus

DEMO_ENTRIES = list(json.loads((DEMO_SNAPSHOT / LITELLM_FILE).read_text()).items())
# LiteLLM's `sample_spec` documents the format and is no model: every other key is one route
ROUTES = len([k for k, _ in DEMO_ENTRIES if k != "sample_spec"])


def litellm_cut(tmp_path: Path, keep: int) -> tuple[Path, bytes]:
    """A snapshot copy whose LiteLLM file keeps its first `keep` entries (valid JSON); genai-prices
    beside it, so that the snapshot has a date."""
    body = json.dumps(dict(DEMO_ENTRIES[:keep])).encode()
    return snapshot_copy(tmp_path / f"cut{keep}", {"litellm", "genai_prices"}, {LITELLM_FILE: body}), body


def routes_in(body: bytes) -> int:
    return len([k for k in json.loads(body) if k != "sample_spec"])


@pytest.fixture(scope="module")
def accepted(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("held") / "w.duckdb"
    proc = versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db), "-s", "litellm", "-s", "genai_prices")
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture
def db(accepted, tmp_path) -> Path:
    shutil.copy(accepted, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb"


def current_sha(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT sha256 FROM current_documents WHERE source = 'litellm'").fetchall()}


@pytest.mark.slow  # more than 5 s
def test_a_litellm_file_cut_to_a_tenth_is_held_then_accepted(db, tmp_path):
    before = current(db, "litellm")
    snapshot, body = litellm_cut(tmp_path, len(DEMO_ENTRIES) // 10)
    proc = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), "-s", "litellm")
    assert proc.returncode == 2, proc.stderr
    held = (f"{LITELLM}: states {routes_in(body)} models/routes, the last accepted document {ROUTES} "
            "(fewer than 50%); `versus accept litellm` applies it")
    assert "| litellm | held | 1 | 0 | 0 |" in proc.stdout
    assert "Held (not applied; review, then `versus accept SOURCE`): litellm" in proc.stdout
    assert current(db, "litellm") == before, "the last accepted document stays current"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, error FROM run_sources WHERE run_id = 2").fetchall() == [("held", held)]
        assert con.execute("SELECT held FROM raw_documents WHERE sha256 = ?",
                           [hashlib.sha256(body).hexdigest()]).fetchone() == (held[len(LITELLM) + 2:],), "raw stored"
    check = versus("status", "--check", "--db", str(db))
    assert check.returncode == 1 and f"litellm: held: {held}" in check.stdout, check.stdout
    assert re.search(r"^litellm +held ", versus("status", "--db", str(db)).stdout, re.M)

    again = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), "-s", "litellm")
    assert again.returncode == 2 and "| litellm | held |" in again.stdout, "served again: still held"

    proc = versus("accept", "litellm", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert current_sha(db) == {hashlib.sha256(body).hexdigest()}, "the held document is current now"
    with duckdb.connect(str(db), read_only=True) as con:
        models = {r[0] for r in con.execute("SELECT DISTINCT model_id FROM current_observations "
                                            "WHERE source = 'litellm'").fetchall()}
        assert con.execute("SELECT source, status FROM run_sources WHERE run_id = 4").fetchall() == [("litellm", "ok")]
    assert models == {k for k in json.loads(body) if k != "sample_spec"}
    assert versus("status", "--check", "--db", str(db)).returncode == 0
    nothing = versus("accept", "litellm", "--db", str(db))
    assert nothing.returncode == 1 and "litellm has no held document" in nothing.stderr


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("keep, status, code", [
    (ROUTES // 2 + 1, "ok", 0),      # sample_spec and exactly half the routes: not fewer than half
    (ROUTES // 2, "held", 2),        # one route fewer
])
def test_half_the_routes_is_the_line(db, tmp_path, keep, status, code):
    assert ROUTES % 2 == 0 and DEMO_ENTRIES[0][0] == "sample_spec", "the boundary below assumes both"
    snapshot, body = litellm_cut(tmp_path, keep)
    proc = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), "-s", "litellm")
    assert (proc.returncode, f"| litellm | {status} |" in proc.stdout) == (code, True), proc.stdout
    assert (current_sha(db) == {hashlib.sha256(body).hexdigest()}) == (status == "ok")


def tenth(items: list) -> list:
    return items[::10]


@pytest.mark.slow  # more than 5 s
def test_dropping_90_percent_of_three_sources_holds_all_three_and_retires_nothing(tmp_path):
    """The probe's shrinking sources: LiteLLM serving `{}`, models.dev and OpenRouter cut to a tenth
    (exit 0 and 171 routes retired before the guard)."""
    db, sources = tmp_path / "w.duckdb", ["modelsdev", "openrouter", "litellm"]
    args = [a for s in sources for a in ("-s", s)]
    assert versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db), *args).returncode == 0
    api = json.loads((DEMO_SNAPSHOT / "modelsdev/api.json").read_text())
    kept = set(tenth([(p, m) for p in api for m in api[p]["models"]]))
    for p in api:
        api[p]["models"] = {m: v for m, v in api[p]["models"].items() if (p, m) in kept}
    models = json.loads((DEMO_SNAPSHOT / "modelsdev/models.json").read_text())
    openrouter = json.loads((DEMO_SNAPSHOT / "openrouter/models.json").read_text())
    snapshot = snapshot_copy(tmp_path / "shrunk", {*sources, "genai_prices"}, {
        "modelsdev/api.json": json.dumps(api).encode(),
        "modelsdev/models.json": json.dumps(dict(tenth(list(models.items())))).encode(),
        "openrouter/models.json": json.dumps({**openrouter, "data": tenth(openrouter["data"])}).encode(),
        LITELLM_FILE: b"{}"})

    def active_offerings():
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT model_id, provider_id, route FROM offerings WHERE status = 'active' "
                               "ORDER BY ALL").fetchall()

    before = active_offerings()
    proc = versus("refresh", "--snapshot", str(snapshot), "--db", str(db), *args)
    assert proc.returncode == 2, proc.stderr
    for source in sources:
        assert f"| {source} | held |" in proc.stdout, proc.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        (error,) = con.execute("SELECT error FROM run_sources WHERE run_id = 2 AND source = 'litellm'").fetchone()
    assert error.startswith(f"{LITELLM}: states 0 models/routes, the last accepted document {ROUTES} ")
    assert "retired offerings: 0" in proc.stdout
    assert active_offerings() == before


@pytest.mark.slow  # over 0.8 s (--durations)
@pytest.mark.parametrize("first, status", [(9, "ok"), (11, "held")])
def test_a_small_document_is_not_held_for_ordinary_swings(tmp_path, first, status):
    """`hold_from: 10`: a document whose last accepted one stated 8 routes may drop to none; one of 10 may not."""
    db = tmp_path / "w.duckdb"
    small, _ = litellm_cut(tmp_path, first)  # sample_spec and first - 1 routes
    assert versus("refresh", "--snapshot", str(small), "--db", str(db), "-s", "litellm").returncode == 0
    one, _ = litellm_cut(tmp_path, 2)
    proc = versus("refresh", "--snapshot", str(one), "--db", str(db), "-s", "litellm")
    assert f"| litellm | {status} |" in proc.stdout, proc.stdout
