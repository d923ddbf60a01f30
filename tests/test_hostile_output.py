"""What versus prints or publishes stays inert whatever the names hold (issue 21, findings 6, 7, 8):
terminal escapes are shown, never run; the run summary's Markdown carries no markup from a source.

Warehouses come from real runs over a copy of `snapshots/demo` (tests/demo_copy.py).
"""
from __future__ import annotations

import copy
import re
import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pytest
from markdown_it import MarkdownIt

from flows.steps import RefreshReport
from flows.summary import summary_markdown
from flows.terminal import safe
from tests.conftest import PROJECT_ROOT
from tests.demo_copy import OPENROUTER_FILE, demo_copy, openrouter_entry, run
from warehouse.db import apply_schema

AUG = datetime(2026, 8, 22, tzinfo=timezone.utc)
SEP = datetime(2026, 9, 22, tzinfo=timezone.utc)
HAIKU = "anthropic/claude-haiku-4.5"
SONNET = "anthropic/claude-sonnet-4.5"
# an OSC 8 hyperlink, a bell, a screen clear, a carriage return that overwrites the line, a bidi override
ESCAPES = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x1b[2J\rfake\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def _versus(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)


@pytest.fixture(scope="module")
def escaped_name(tmp_path_factory):
    """A warehouse from the demo's OpenRouter payload in which Claude Haiku 4.5's name holds terminal
    escapes, as one stored before extraction refused control characters would."""
    root = tmp_path_factory.mktemp("escapes")
    db = root / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        apply_schema(con)
        run(con, demo_copy(root / "snap", {"openrouter"}), AUG, 1, {"openrouter"})
        con.execute("UPDATE models SET name = ? WHERE model_id = ?", [f"Claude Haiku {ESCAPES}", HAIKU])
    return db


def test_safe_writes_every_control_character_as_an_escape_and_keeps_tabs_and_line_breaks():
    assert safe(ESCAPES + "\tok\n") == ("\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07\\x1b[2J\\x0dfake\\u202e"
                                        "\tok\n")


@pytest.mark.slow  # over 0.8 s (--durations)
def test_compare_prints_a_name_holding_terminal_escapes_as_escapes(escaped_name):
    for fmt in ("md", "html", "json"):
        proc = _versus("compare", HAIKU, SONNET, "--format", fmt, "--db", str(escaped_name))
        assert proc.returncode == 0, proc.stderr
        assert not RAW.search(proc.stdout), fmt
        if fmt == "md":
            assert "# Claude Haiku \\x1b\\]8;;https://evil.example\\x07click" in proc.stdout  # md-escaped too


def test_the_closest_hint_prints_stored_names_escaped(escaped_name):
    proc = _versus("compare", "claude haiku", SONNET, "--db", str(escaped_name))
    assert proc.returncode == 2 and "closest:" in proc.stderr
    assert not RAW.search(proc.stderr) and "Claude Haiku \\x1b]8;;" in proc.stderr


@pytest.mark.slow  # over 0.8 s (--durations)
def test_cost_prints_a_typed_argument_holding_escapes_as_escapes(escaped_name):
    proc = _versus("cost", HAIKU, "--input-tokens", "1000", "--output-tokens", "10", "--provider",
                   f"nowhere{ESCAPES}", "--db", str(escaped_name))
    assert proc.returncode == 2 and "has no active route at nowhere\\x1b]8;;" in proc.stderr
    assert not RAW.search(proc.stderr)
    proc = _versus("cost", "claude haiku", "--input-tokens", "1000", "--output-tokens", "10", "--db", str(escaped_name))
    assert proc.returncode == 2 and not RAW.search(proc.stderr) and "\\x1b" in proc.stderr


# --- the run summary (flows/summary.py) -----------------------------------------------------

SCRIPT = "evilcorp/<script>alert(2)</script>"
PIPE = "evilcorp/x|<img src=x onerror=alert(1)>"


def _with(*entries: tuple[str, str]):
    """An edit of the OpenRouter payload adding Claude Haiku 4.5's entry under each (id, prompt price)."""
    def edit(payload: dict) -> dict:
        for model_id, prompt in entries:
            entry = copy.deepcopy(openrouter_entry(payload, HAIKU))
            entry.update(id=model_id, canonical_slug=model_id, name="Evil")
            entry["pricing"] = {**entry["pricing"], "prompt": prompt}
            payload["data"].append(entry)
        return payload
    return edit


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    """The summary of a second night on which one hostile id's price changed and another is new."""
    root = tmp_path_factory.mktemp("summary")
    first = demo_copy(root / "first", {"openrouter"}, {OPENROUTER_FILE: _with((SCRIPT, "0.000001"))})
    second = demo_copy(root / "second", {"openrouter"},
                       {OPENROUTER_FILE: _with((SCRIPT, "0.000002"), (PIPE, "0.000001"))})
    with duckdb.connect() as con:
        apply_schema(con)
        run(con, first, AUG, 1, {"openrouter"})
        from warehouse.load import load_snapshot_files
        from warehouse.reconcile import reconcile

        loads = load_snapshot_files(con, 2, second, SEP, only={"openrouter"})
        report = RefreshReport(run_id=2, snapshot=str(second), status="ok", loads=loads,
                               reconcile=reconcile(con, 2, SEP))
    assert any(SCRIPT in c.route for c in report.reconcile.price_changes)
    assert any("onerror" in m for m in report.reconcile.new_models)
    return summary_markdown(report)


def test_the_run_summary_shows_hostile_ids_as_text_with_no_markup(summary):
    html = MarkdownIt("commonmark").enable("table").render(summary)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html and "onerror=alert(1)&gt;" in html


def test_the_summary_tables_keep_their_cells_per_row_whatever_a_route_holds(summary):
    tables: list[list[int]] = []
    for t in MarkdownIt("commonmark").enable("table").parse(summary):
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            tables[-1].append(0)
        elif t.type in ("td_open", "th_open"):
            tables[-1][-1] += 1
    sources, changes = tables
    assert set(sources) == {6} and set(changes) == {5} and len(changes) >= 2
    assert "evilcorp/&lt;script&gt;alert(2)&lt;/script&gt;" in summary[summary.index("Top price changes"):]


# --- long ids: bounded slugs, and a failed page named (warehouse/export.py, warehouse/site) ------

LONG_A = "evilcorp/" + "a" * 4000 + "-one" + "x" * 996   # 5,009 characters
LONG_B = "evilcorp/" + "a" * 4000 + "-two" + "x" * 996   # the same but for a word in the middle


@pytest.fixture(scope="module")
def long_ids(tmp_path_factory):
    """A warehouse file from the demo's OpenRouter payload plus two 5,009-character ids, with its
    comparisons."""
    from warehouse.comparisons import refresh_comparisons

    root = tmp_path_factory.mktemp("long")
    db = root / "w.duckdb"
    folder = demo_copy(root / "snap", {"openrouter"}, {OPENROUTER_FILE: _with((LONG_A, "0.000001"), (LONG_B, "0.000002"))})
    with duckdb.connect(str(db)) as con:
        apply_schema(con)
        run(con, folder, AUG, 1, {"openrouter"})
        refresh_comparisons(con, 1, AUG.date())
        ids = {r[0] for r in con.execute("SELECT model_id FROM models WHERE model_id LIKE 'evilcorp/%'").fetchall()}
    assert len(ids) == 2 and all(len(i) > 5000 for i in ids), ids
    return db


def _names(folder) -> list[str]:
    return [p.name for p in folder.rglob("*")]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_long_ids_export_pages_with_bounded_unique_names(long_ids, tmp_path):
    out = tmp_path / "pages"
    proc = _versus("export", "--format", "html", "--all", "--out", str(out), "--db", str(long_ids), "--every", "10")
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = _names(out)
    assert max(len(n.encode()) for n in names) <= 255
    assert len({n for n in names if n.startswith("evilcorp-") and "--vs--evilcorp-" in n}) == 1, "the two long ids' pair"
    assert len({n.split("--vs--")[0] for n in names if n.startswith("evilcorp-")}) == 2, "two slugs, not one"


@pytest.mark.slow  # over 0.8 s (--durations)
def test_long_ids_publish_a_site(long_ids, tmp_path):
    proc = _versus("site", "--out", str(tmp_path / "site"), "--db", str(long_ids))
    assert proc.returncode == 0, proc.stderr[-2000:]
    models = [n for n in _names(tmp_path / "site" / "models") if n.startswith("evilcorp-")]
    assert len(models) == 2 and max(len(n) for n in models) <= 255


def test_a_page_that_cannot_be_written_is_named_and_leaves_no_partial_export(long_ids, tmp_path):
    from warehouse.export import model_slugs

    with duckdb.connect(str(long_ids), read_only=True) as con:
        slugs = model_slugs(con)
        a, b = con.execute("SELECT model_a, model_b FROM comparisons WHERE model_a LIKE 'evilcorp/%' "
                           "AND model_b LIKE 'evilcorp/%'").fetchone()
    out = tmp_path / "pages"
    (out / f"{slugs[a]}--vs--{slugs[b]}.html").mkdir(parents=True)  # where the pair's page would go
    proc = _versus("export", "--format", "html", "--all", "--out", str(out), "--db", str(long_ids), "--every", "10")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "versus export: cannot write the page of evilcorp/aaaa" in proc.stderr
    assert "(5,009 characters) vs evilcorp/aaaa" in proc.stderr and "Is a directory" in proc.stderr
    assert _names(out) == [f"{slugs[a]}--vs--{slugs[b]}.html"], "nothing of the failed export is left"


def test_the_live_progress_display_prints_a_crawls_lines_escaped(capsys):
    """Rich drops BEL and CR but writes ESC as it comes: a crawl's line goes through `safe` first."""
    from flows.progress import LiveProgress

    with LiveProgress() as display:
        display.log(f"openrouter: https://openrouter.ai/api/v1/models: {ESCAPES}")
    err = capsys.readouterr().err
    assert "\\x1b]8;;https://evil.example" in err and "\x1b]8;;https://evil" not in err
