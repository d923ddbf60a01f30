"""`versus audit`: disagreements between independent sources, copies counted once, ranked by impact;
stale prices; escaping; the 2026-08 snapshot's count.

Hand-landed documents carry real facts from the recorded snapshots: OpenRouter's API in 2026-08
lists deepseek/deepseek-v3.2 at $0.2288/$0.3432; models.dev's openrouter entry for it, a copy of
that API, said $0.28/$0.40 in 2026-01 (a copy left behind); genai-prices' openrouter entry in
2026-08 says $0.2288/$0.3432.
"""
from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.comparison_helpers import LARGE, demo_warehouse
from tests.test_reconcile import AUG, JAN, MODELSDEV_URL, OR_URL, land
from warehouse.audit import audit, counts
from warehouse.reconcile import reconcile

GENAI_URL = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
V32 = "deepseek/deepseek-v3.2"
OPENROUTER_V32 = [(V32, "openrouter", "input_usd_per_mtok", "0.2288"), (V32, "openrouter", "output_usd_per_mtok", "0.3432")]
MODELSDEV_JAN_V32 = [(V32, "openrouter", "input_usd_per_mtok", "0.28"), (V32, "openrouter", "output_usd_per_mtok", "0.4")]
GENAI_V32 = [(V32, "openrouter", "input_usd_per_mtok", "0.2288"), (V32, "openrouter", "output_usd_per_mtok", "0.3432")]


def cli(db, *args):
    """`versus audit` as the console script runs it."""
    return CliRunner().invoke(app, ["audit", "--db", str(db), *args])


@pytest.fixture
def copied(con):
    """OpenRouter's own price and models.dev's older copy of it: one witness."""
    land(con, "openrouter", OR_URL, AUG, OPENROUTER_V32, as_of="2026-07-02T00:40:28+08:00")
    land(con, "modelsdev", MODELSDEV_URL, JAN, MODELSDEV_JAN_V32, as_of="2026-01-16T17:46:45+08:00")
    reconcile(con, 1, AUG)
    return con


def test_a_copy_disagreeing_with_its_original_is_no_second_witness(copied):
    entity = f"{V32}@openrouter"
    assert copied.execute("SELECT count(*) FROM conflicts WHERE entity = ?", [entity]).fetchone()[0] == 0
    assert [d for d in audit(copied) if d.entity == entity] == []
    copies = copied.execute("SELECT DISTINCT source, copy_of FROM lineage WHERE entity = ? ORDER BY 1", [entity]).fetchall()
    assert copies == [("modelsdev", "openrouter"), ("openrouter", None)]


def test_independent_sources_disagreeing_on_a_price_are_listed_with_their_evidence_and_impact(copied):
    land(copied, "genai_prices", GENAI_URL, AUG, GENAI_V32, as_of="2026-08-21T15:02:24-05:00")
    reconcile(copied, 2, AUG)
    found = {(d.entity, d.field): d for d in audit(copied)}
    d = found[(f"{V32}@openrouter", "input_usd_per_mtok")]
    assert d.kind == "price" and d.chosen == "0.28" and d.chosen_source == "modelsdev"  # models.dev's listing is preferred
    assert {(c["source"], c["value"], c["copy_of"], c["url"], c["as_of"]) for c in d.candidates} == {
        ("modelsdev", "0.28", "openrouter", MODELSDEV_URL, "2026-01-16T17:46:45+08:00"),
        ("openrouter", "0.2288", None, OR_URL, "2026-07-02T00:40:28+08:00"),
        ("genai_prices", "0.2288", None, GENAI_URL, "2026-08-21T15:02:24-05:00")}
    assert "2 of 2 independent sources list a price beyond tolerance" in d.reason  # the copy counts as openrouter
    # 100M input tokens a month: (0.28 - 0.2288) x 100 = $5.12; 30M output: (0.40 - 0.3432) x 30 = $1.704
    assert d.impact_usd_month == Decimal("5.12")
    assert found[(f"{V32}@openrouter", "output_usd_per_mtok")].impact_usd_month == Decimal("1.704")
    ranked = [x.impact_usd_month for x in audit(copied) if x.impact_usd_month is not None]
    assert ranked == sorted(ranked, reverse=True)


def test_a_price_one_source_confirmed_long_before_another_is_stale(con):
    # models.dev's copy of OpenRouter's entry as of 2026-01-16, genai-prices' own as of 2026-08-21
    land(con, "modelsdev", MODELSDEV_URL, JAN, MODELSDEV_JAN_V32, as_of="2026-01-16T17:46:45+08:00")
    land(con, "genai_prices", GENAI_URL, AUG, GENAI_V32, as_of="2026-08-21T15:02:24-05:00")
    reconcile(con, 1, AUG)
    stale = [d for d in audit(con) if d.kind == "stale"]
    assert len(stale) == 1 and stale[0].entity == f"{V32}@openrouter"
    # as of 2026-01-16 09:46 UTC against 2026-08-21 20:02 UTC: 217 days
    assert "modelsdev last confirmed this route's price on 2026-01-16, 217 days before genai_prices (2026-08-21)" \
        in stale[0].reason
    assert stale[0].impact_usd_month == Decimal("5.12") + Decimal("1.704")
    assert {(c["source"], c["value"]) for c in stale[0].candidates} == {("modelsdev", "2026-01-16"),
                                                                        ("genai_prices", "2026-08-21")}


def test_a_copy_behind_its_own_original_is_not_stale(copied):
    # OpenRouter itself confirmed the route on 2026-07-01 (UTC), 51 days before genai-prices: within 180
    land(copied, "genai_prices", GENAI_URL, AUG, GENAI_V32, as_of="2026-08-21T15:02:24-05:00")
    reconcile(copied, 2, AUG)
    assert [d for d in audit(copied) if d.kind == "stale"] == []


def test_models_dev_last_updated_dates_its_entry(con):
    from pipeline.sources.modelsdev import extract
    from pipeline.observation import Document

    body = json.dumps({"mistral": {"id": "mistral", "models": {"mistral-small-2603": {
        "name": "Mistral Small 4", "last_updated": "2026-03-16", "cost": {"input": 0.15, "output": 0.6}}}}}).encode()
    doc = Document(source="modelsdev", url=MODELSDEV_URL, fetched_at=AUG, as_of=None, sha256="x", body=body)
    dated = [o.value for o in extract(doc).observations if o.field == "last_updated"]
    assert [str(d) for d in dated] == ["2026-03-16"]


@pytest.mark.slow  # more than 5 s
def test_audit_formats_escape_what_sources_say(tmp_path):
    db = tmp_path / "w.duckdb"
    con = demo_warehouse(db)
    hostile = "<script>alert(1)</script>"
    con.execute("INSERT INTO conflicts VALUES (?, 'license', [{'source': 'openrouter', 'source_id': 'x', 'value': ?, "
                "'url': 'javascript:alert(2)'}, {'source': 'litellm', 'source_id': 'y', 'value': 'MIT', "
                "'url': 'https://example.org/a?b=1&c=2'}], 'MIT', 'litellm', ?, 'disagreement')",
                [f"{LARGE}{hostile}", hostile, hostile])
    con.close()
    html = cli(db, "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert "<script>" not in html.stdout and "&lt;script&gt;alert(1)&lt;/script&gt;" in html.stdout
    assert 'href="javascript' not in html.stdout and 'href="https://example.org/a?b=1&amp;c=2"' in html.stdout
    md = cli(db, "--format", "md").stdout
    assert "<script>" not in md and "&lt;script&gt;" in md
    out = tmp_path / "audit.json"
    written = cli(db, "--format", "json", "--out", str(out))
    assert written.exit_code == 0 and written.stdout == "" and "written to" in written.stderr
    data = json.loads(out.read_text())
    assert set(data["discrepancies"][0]) >= {"entity", "field", "candidates", "chosen", "chosen_source", "reason",
                                             "impact_usd_month"}
    assert any(d["entity"] == f"{LARGE}{hostile}" for d in data["discrepancies"])


@pytest.mark.slow  # over 0.8 s (--durations)
def test_the_demo_audit_lists_large_2407s_open_weights_disagreement():
    con = demo_warehouse()
    found = {(d.entity, d.field): d for d in audit(con)}
    # the card says open weights; models.dev's openrouter entry (its own field, not copied) says no
    d = found[(LARGE, "open_weights")]
    assert d.kind == "license" and d.chosen == "true" and d.chosen_source == "huggingface"
    assert {(c["source"], c["provider"], c["value"]) for c in d.candidates} == {
        ("huggingface", None, "true"), ("modelsdev", "kilo", "true"), ("modelsdev", "openrouter", "false")}
    # max_output_tokens of Large 2407 at OpenRouter: the copy and OpenRouter agree, no one else lists the route
    assert (f"{LARGE}@openrouter", "max_output_tokens") not in found


def test_the_2026_08_audit_lists_at_least_50_disagreements_with_two_values(august_file):
    august = august_file  # the session's 2026-08 warehouse (tests/conftest.py), as a file
    result = cli(august, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["discrepancies"]
    two_values = [d for d in found if d["kind"] != "stale" and len({c["value"] for c in d["candidates"]}) >= 2]
    assert len(two_values) >= 50
    for d in found:  # every one spoken by at least two independent sources, each with its document
        if d["kind"] == "alias":  # a moving alias whose target no source states: its listings, cited
            assert d["field"] == "alias_target" and d["candidates"] and all(c["url"] for c in d["candidates"]), d
            continue
        assert len({c["copy_of"] or c["source"] for c in d["candidates"]}) >= 2, d
        if d["field"] != "retired_on":  # a retired route listed live is dated by the listing, not a document
            assert all(c["url"] for c in d["candidates"]), d
    prices = [Decimal(d["impact_usd_month"]) for d in found if d["impact_usd_month"] is not None]
    assert prices and prices == sorted(prices, reverse=True) and found[0]["impact_usd_month"] is not None
    con = duckdb.connect(str(august), read_only=True)
    assert counts(audit(con))["price"] >= 50
    assert "openai/gpt-4o" in {d.entity for d in audit(con) if d.kind == "alias"}
    con.close()
