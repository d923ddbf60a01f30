"""Facts pinned to public pages (tests/pinned_facts.yaml) against a demo refresh: the warehouse
states each pinned value or says unknown, never another value."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from tests.comparison_helpers import demo_template

FACTS_FILE = Path(__file__).with_name("pinned_facts.yaml")
TOLERANCE = Decimal("0.03")  # "128K" is 131,072 or 128,000; "12B" is 12.25B: the project's token/parameter tolerance


class Fact(BaseModel):
    """One pinned fact: a model's field, its value, the public page that states it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    model: str
    field: Literal["release_date", "license", "context_window", "params_total", "params_active",
                   "accepts_images", "price"]
    value: Any
    url: str = Field(pattern=r"^https://[^\s]+$")
    says: str = Field(min_length=5)
    provider: str | None = None
    date: dt.date | None = None
    known_wrong: str | None = None


def load_facts() -> list[Fact]:
    return [Fact(**entry) for entry in yaml.safe_load(FACTS_FILE.read_text())["facts"]]


FACTS = load_facts()


@pytest.fixture(scope="module")
def demo():
    """The session's demo refresh (every source, both crawl phases: tests.comparison_helpers), read-only."""
    con = duckdb.connect(str(demo_template()), read_only=True)
    yield con
    con.close()


def near(stated: object, pinned: object) -> bool:
    return abs(Decimal(str(stated)) - Decimal(str(pinned))) <= TOLERANCE * Decimal(str(pinned))


def stated(con: duckdb.DuckDBPyConnection, fact: Fact) -> list[object]:
    """The values the warehouse states for the fact (empty: unknown)."""
    if fact.field == "price":
        return [(i, o) for i, o in con.execute(
            "SELECT input_usd_per_mtok, output_usd_per_mtok FROM offerings WHERE model_id = ? AND provider_id = ? "
            "AND active", [fact.model, fact.provider]).fetchall()]
    if fact.field == "accepts_images":
        out = []
        (inputs,) = con.execute("SELECT input_modalities FROM models WHERE model_id = ?", [fact.model]).fetchone()
        if inputs is not None:
            out.append("image" in inputs)
        out += [v == "yes" for (v,) in con.execute(
            "SELECT value FROM model_capabilities WHERE model_id = ? AND capability = 'vision' "
            "AND value IN ('yes', 'no')", [fact.model]).fetchall()]
        return out
    (value,) = con.execute(f"SELECT {fact.field} FROM models WHERE model_id = ?", [fact.model]).fetchone()
    return [] if value is None else [value]


def agrees(fact: Fact, value: object) -> bool:
    if fact.field == "release_date":
        return value == dt.date.fromisoformat(fact.value)
    if fact.field in ("context_window", "params_total", "params_active"):
        return near(value, fact.value)
    if fact.field == "price":
        return tuple(Decimal(str(v)) for v in value) == tuple(Decimal(v) for v in fact.value)
    return value == fact.value


def test_the_file_pins_at_least_40_distinct_facts_each_with_its_page():
    ids = [f.id for f in FACTS]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)
    for fact in FACTS:
        assert (fact.field == "price") == (fact.provider is not None and fact.date is not None), fact.id
        if fact.field == "price":
            assert len(fact.value) == 2, fact.id


def test_every_pinned_model_is_in_the_demo_and_most_facts_are_stated(demo):
    """Guards against a vacuous check: a typo in a model id, or a warehouse that states nothing."""
    models = {m for (m,) in demo.execute("SELECT model_id FROM models").fetchall()}
    assert {f.model for f in FACTS} <= models
    known = [f.id for f in FACTS if stated(demo, f)]
    assert len(known) >= 40, known


@pytest.mark.parametrize("fact", [
    pytest.param(f, id=f.id, marks=[pytest.mark.xfail(strict=True, reason=f.known_wrong)] if f.known_wrong else [])
    for f in FACTS])
def test_the_warehouse_states_the_pinned_value_or_unknown(demo, fact: Fact):
    wrong = [value for value in stated(demo, fact) if not agrees(fact, value)]
    assert not wrong, f"{fact.model} {fact.field}: warehouse {wrong}, pinned {fact.value!r} ({fact.url})"
