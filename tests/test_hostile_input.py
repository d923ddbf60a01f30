"""Hostile values in a source's payload are rejected at extraction, the field named, and a rejected
price never wipes the price known before it (issue 21, findings 9, 10 and 12).

Each case replays a copy of `snapshots/demo` whose OpenRouter payload was edited (tests/demo_copy.py)
through the real extraction, loader and reconciliation.
"""
from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from decimal import Decimal as D

import duckdb
import pytest

from tests.demo_copy import AIDER_FILE, OPENROUTER_FILE, demo_copy, openrouter_entry, run
from warehouse.db import apply_schema

AUG = datetime(2026, 8, 22, tzinfo=timezone.utc)
SEP = datetime(2026, 9, 22, tzinfo=timezone.utc)
OCT = datetime(2026, 10, 22, tzinfo=timezone.utc)
HAIKU = "anthropic/claude-haiku-4.5"  # in the demo: prompt "0.000001", completion "0.000005" per token
OSC8 = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"


def _hostile(payload: dict) -> dict:
    """The demo OpenRouter payload plus three entries copied from Claude Haiku 4.5's, each hostile."""
    base = openrouter_entry(payload, HAIKU)
    nul, escape, tiny = (copy.deepcopy(base) for _ in range(3))
    nul.update(id="evilcorp/nul\x00model", canonical_slug="evilcorp/nul\x00model", name="NUL model")
    escape.update(id="evilcorp/escape", canonical_slug="evilcorp/escape", name=f"Escape {OSC8}\x1b[2J")
    tiny.update(id="evilcorp/tiny", canonical_slug="evilcorp/tiny", name="Tiny")
    tiny["pricing"] = {**tiny["pricing"], "prompt": "1e-300"}
    payload["data"] += [nul, escape, tiny]
    return payload


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = demo_copy(tmp_path_factory.mktemp("hostile") / "snap", {"openrouter"}, {OPENROUTER_FILE: _hostile})
    con = duckdb.connect()
    apply_schema(con)
    run(con, folder, AUG, 1, {"openrouter"})
    yield con
    con.close()


def _rejections(con, model_id: str) -> list[tuple[str, str]]:
    return con.execute("SELECT field, reason FROM rejected_observations WHERE model_id = ? ORDER BY 1",
                       [model_id]).fetchall()


def test_a_nul_byte_in_an_id_is_rejected_naming_the_field_and_stored_nowhere(hostile):
    reasons = _rejections(hostile, "evilcorp/nul\x00model")
    assert reasons and all(r == "model_id holds the control character U+0000 at position 12" for _, r in reasons)
    assert {f for f, _ in reasons} >= {"input_usd_per_mtok", "output_usd_per_mtok", "name"}
    for table in ("observations", "model_aliases", "offerings", "models"):
        column = "source_id" if table == "model_aliases" else "model_id"
        assert not hostile.execute(f"SELECT count(*) FROM {table} WHERE {column} LIKE '%' || chr(0) || '%'"
                                   ).fetchone()[0], table


def test_terminal_escapes_in_a_name_are_rejected_and_the_rest_of_the_entry_kept(hostile):
    assert _rejections(hostile, "evilcorp/escape") == [("name", "name holds the control character U+001B at position 7")]
    assert hostile.execute("SELECT value_decimal FROM observations WHERE model_id = 'evilcorp/escape' "
                           "AND field = 'input_usd_per_mtok'").fetchone() == (D(1),)
    assert not hostile.execute("SELECT count(*) FROM models WHERE regexp_matches(name, '[\\x00-\\x1f\\x7f]')"
                               ).fetchone()[0]


def test_a_price_that_rounds_to_zero_is_rejected_not_stored_as_free(hostile):
    # 1e-300 USD per token is 1e-294 per million: not zero, but 0 at DECIMAL(18, 9)
    assert _rejections(hostile, "evilcorp/tiny") == [
        ("input_usd_per_mtok", "1E-294 is not zero but rounds to zero at 9 decimal places")]
    assert hostile.execute("SELECT input_usd_per_mtok, output_usd_per_mtok FROM offerings "
                           "WHERE route = 'evilcorp/tiny'").fetchall() == [(None, D(5))]
    assert not hostile.execute("SELECT count(*) FROM offering_prices WHERE model_id LIKE '%tiny%' "
                               "AND component = 'input'").fetchone()[0]


def test_a_leaderboard_row_whose_key_holds_an_escape_is_rejected_naming_the_field(tmp_path):
    def edit(board: list) -> list:
        board[0]["dirname"] = "2024-12-21-18-41-18--polyglot\x1b]0;pwned\x07"
        return board

    con = duckdb.connect()
    apply_schema(con)
    run(con, demo_copy(tmp_path / "snap", {"aider"}, {AIDER_FILE: edit}), AUG, 1, {"aider"})
    assert con.execute("SELECT model_id, field, reason FROM rejected_observations").fetchall() == [
        ("gpt-4o-mini-2024-07-18", "benchmark:aider-polyglot",
         "source_row holds the control character U+001B at position 29")]
    assert not con.execute("SELECT count(*) FROM benchmark_observations WHERE regexp_matches(source_row, '[\x00-\x1f]')"
                           ).fetchone()[0]


# --- a rejected price keeps the known one (warehouse/sql/reconcile/int_offerings.sql) -----------

def _haiku_prompt(prompt: str):
    def edit(payload: dict) -> dict:
        openrouter_entry(payload, HAIKU)["pricing"]["prompt"] = prompt
        return payload
    return edit


@pytest.fixture(scope="module")
def rejected_price(tmp_path_factory):
    """Three nights of the demo's OpenRouter payload: Claude Haiku 4.5's input price as stated
    ($1 per million), then rejected (1e-300 per token), then changed ($1.20)."""
    root = tmp_path_factory.mktemp("rejected")
    con = duckdb.connect()
    apply_schema(con)
    states = {}
    for run_id, (day, prompt) in enumerate([("2026-08-01", "0.000001"), ("2026-08-10", "1e-300"),
                                            ("2026-08-20", "0.0000012")], 1):
        folder = demo_copy(root / day, {"openrouter"}, {OPENROUTER_FILE: _haiku_prompt(prompt)},
                           as_of=f"{day}T00:00:00+00:00")
        run(con, folder, datetime.fromisoformat(f"{day}T06:00:00+00:00"), run_id, {"openrouter"})
        states[day] = {
            "offering": con.execute("SELECT input_usd_per_mtok, output_usd_per_mtok, price_rejected FROM offerings "
                                    "WHERE source = 'openrouter' AND route = ?", [HAIKU]).fetchone(),
            "history": [(i, f.date(), t and t.date()) for i, f, t in con.execute(
                "SELECT input_usd_per_mtok, timezone('UTC', valid_from), timezone('UTC', valid_to) FROM price_history "
                "WHERE source = 'openrouter' AND route = ? ORDER BY valid_from", [HAIKU]).fetchall()],
            "input_component": con.execute(
                "SELECT usd_per_mtok FROM offering_prices WHERE source = 'openrouter' AND route = ? "
                "AND component = 'input' AND valid_to IS NULL", [HAIKU]).fetchall()}
    yield states
    con.close()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_rejected_price_keeps_the_last_accepted_one_current_marked_with_the_rejection(rejected_price):
    night = rejected_price["2026-08-10"]
    input_price, output_price, mark = night["offering"]
    assert (input_price, output_price) == (D(1), D(5))
    assert mark == ("input_usd_per_mtok '1.000000E-294' rejected: 1E-294 is not zero but rounds to zero at 9 decimal places")
    assert night["history"] == [(D(1), date(2026, 8, 1), None)], "the open row stays open"
    assert night["input_component"] == [(D(1),)], "the cost engine's input price stays known"


def test_a_valid_price_after_a_rejection_replaces_the_kept_one_and_clears_the_mark(rejected_price):
    assert rejected_price["2026-08-01"]["offering"] == (D(1), D(5), None)
    night = rejected_price["2026-08-20"]
    assert night["offering"] == (D("1.2"), D(5), None)
    assert night["history"] == [(D(1), date(2026, 8, 1), date(2026, 8, 20)), (D("1.2"), date(2026, 8, 20), None)]
    assert night["input_component"] == [(D("1.2"),)]
