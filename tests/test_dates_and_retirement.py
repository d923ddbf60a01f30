"""Dates mean what they say, and retired routes leave: listing dates are never release dates; the
data's date (never the calendar) dates documents and decides whether a stated retirement has
passed; a retirement belongs to the route and closes its price history.

Hand-landed facts are real: as LiteLLM 1.109.1, models.dev and OpenRouter state them in the
2026-08 snapshots (snapshots/demo holds the same entries).
"""
from datetime import date, datetime, timezone

import duckdb
import pytest

from scrapers.snapshot import Snapshot
from tests.conftest import DEMO_SNAPSHOT
from tests.test_reconcile import AUG, JAN, LITELLM_URL, MODELSDEV_URL, OR_URL, land, rows
from tests.test_ingest import LITELLM, ingest
from warehouse.db import apply_schema
from warehouse.load import load_snapshot_files
from warehouse.reconcile import reconcile
from warehouse.records import RecordBuilder, load_facts

LABEL = "litellm-1.109.1"  # LiteLLM's as-of: a version label, not a date
CALENDAR = datetime(2031, 1, 1, tzinfo=timezone.utc)  # a reconcile run long after the data
SNAPSHOT_DAY = datetime(2026, 8, 21, 20, 2, 24, tzinfo=timezone.utc)  # 2026-08's newest as-of (genai-prices)

AZURE_LARGE = [("azure_ai/mistral-large-2407", "azure_ai", "input_usd_per_mtok", "2"),
               ("azure_ai/mistral-large-2407", "azure_ai", "output_usd_per_mtok", "6"),
               ("azure_ai/mistral-large-2407", "azure_ai", "deprecation_date", "2025-05-13")]
VERTEX_HAIKU = [("vertex_ai/claude-3-haiku", "vertex_ai-anthropic_models", "input_usd_per_mtok", "0.25"),
                ("vertex_ai/claude-3-haiku", "vertex_ai-anthropic_models", "output_usd_per_mtok", "1.25"),
                ("vertex_ai/claude-3-haiku", "vertex_ai-anthropic_models", "deprecation_date", "2026-08-23")]
AZURE_NEMO = [("azure_ai/mistral-nemo", "azure_ai", "input_usd_per_mtok", "0.15"),
              ("azure_ai/mistral-nemo", "azure_ai", "output_usd_per_mtok", "0.15"),
              ("azure_ai/mistral-nemo", "azure_ai", "deprecation_date", "2026-01-30")]
MODELSDEV_AZURE_NEMO = [("mistral-nemo", "azure", "input_usd_per_mtok", "0.15"),
                        ("mistral-nemo", "azure", "output_usd_per_mtok", "0.15")]
MODELSDEV_AS_OF = "2026-07-02T00:40:28+08:00"
# OpenRouter's catalogue entries the source ids resolve to (2026-08)
OPENROUTER = [("mistralai/mistral-large-2407", "openrouter", "input_usd_per_mtok", "2"),
              ("mistralai/mistral-nemo", "openrouter", "input_usd_per_mtok", "0.02"),
              ("anthropic/claude-3-haiku", "openrouter", "input_usd_per_mtok", "0.25")]


def anchor(con, fetched_at=AUG):
    land(con, "openrouter", OR_URL, fetched_at, OPENROUTER, as_of=MODELSDEV_AS_OF)


def offering(con, route):
    return rows(con, "SELECT retired_on, status, active FROM offerings WHERE route = ?", [route])


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_stated_retirement_is_judged_at_the_datas_date_never_the_calendars(con):
    # the snapshot is dated 2026-08-21: Vertex's Claude 3 Haiku (retiring 2026-08-23) is still
    # deprecating, Azure's Large 2407 (2025-05-13) is retired, even when reconciled in 2031
    anchor(con)
    land(con, "litellm", LITELLM_URL, AUG, AZURE_LARGE + VERTEX_HAIKU, as_of=LABEL, data_date=SNAPSHOT_DAY)
    reconcile(con, 1, CALENDAR)
    assert offering(con, "vertex_ai/claude-3-haiku") == [(date(2026, 8, 23), "deprecating", True)]
    assert offering(con, "azure_ai/mistral-large-2407") == [(date(2025, 5, 13), "retired", False)]
    # the same body in a snapshot dated after 2026-08-23: now it is retired
    con.execute("UPDATE raw_documents SET effective_at = TIMESTAMPTZ '2026-08-24 00:00:00+00' WHERE source = 'litellm'")
    reconcile(con, 2, CALENDAR)
    assert offering(con, "vertex_ai/claude-3-haiku") == [(date(2026, 8, 23), "retired", False)]


def test_a_document_without_a_timestamp_as_of_takes_the_snapshots_date():
    assert datetime.fromisoformat(Snapshot(DEMO_SNAPSHOT).data_date) == datetime(2026, 8, 22, tzinfo=timezone.utc)
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot_files(con, 1, DEMO_SNAPSHOT, CALENDAR, only=["litellm", "openrouter"])
    assert dict(rows(con, "SELECT source, effective_at FROM raw_documents")) == {
        "litellm": datetime(2026, 8, 22, tzinfo=timezone.utc),                # label: the snapshot's date
        "openrouter": datetime(2026, 7, 1, 16, 40, 28, tzinfo=timezone.utc)}  # its own as-of


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_replayed_crawl_carries_the_snapshots_date_through_the_spool(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest(db, DEMO_SNAPSHOT, ["litellm"], tmp_path / "spool")
    with duckdb.connect(str(db), read_only=True) as c:
        assert rows(c, "SELECT as_of, effective_at FROM raw_documents WHERE url = ?", [LITELLM]) == [
            (LABEL, datetime(2026, 8, 22, tzinfo=timezone.utc))]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_another_sources_silence_does_not_revive_a_retired_route_and_a_live_listing_is_a_conflict(con):
    anchor(con)
    land(con, "litellm", LITELLM_URL, AUG, AZURE_NEMO, as_of=LABEL, data_date=SNAPSHOT_DAY)
    land(con, "modelsdev", MODELSDEV_URL, AUG, MODELSDEV_AZURE_NEMO, as_of=MODELSDEV_AS_OF)
    reconcile(con, 1, AUG)
    # models.dev says nothing of the retirement: its row of the route is retired too
    assert rows(con, "SELECT source, retired_on, status, active FROM offerings WHERE provider_id = 'azure' ORDER BY source") == [
        ("litellm", date(2026, 1, 30), "retired", False), ("modelsdev", date(2026, 1, 30), "retired", False)]
    (entity, candidates, chosen, chosen_source), = rows(
        con, "SELECT entity, candidates, chosen, chosen_source FROM conflicts WHERE field = 'retired_on'")
    assert (entity, chosen, chosen_source) == ("mistralai/mistral-nemo@azure", "2026-01-30", "litellm")
    assert {(c["source"], c["value"]) for c in candidates} == {
        ("litellm", "retired on 2026-01-30"), ("modelsdev", "listed live on 2026-07-01")}
    # each listing is cited with the document that states it, as every other conflict's candidates are
    assert {(c["source"], c["url"], c["as_of"]) for c in candidates} == {
        ("litellm", LITELLM_URL, LABEL), ("modelsdev", MODELSDEV_URL, MODELSDEV_AS_OF)}
    # a later run where LiteLLM no longer lists it: the route stays retired
    con.execute("DELETE FROM observations WHERE source = 'litellm'")
    con.execute("DELETE FROM raw_documents WHERE source = 'litellm'")
    reconcile(con, 2, AUG)
    assert offering(con, "mistral-nemo") == [(date(2026, 1, 30), "retired", False)]


def test_deprecated_with_no_date_is_deprecating_and_stays_active(con):
    anchor(con)
    land(con, "modelsdev", MODELSDEV_URL, AUG, [
        ("claude-3-haiku-20240307", "anthropic", "input_usd_per_mtok", "0.25"),
        ("claude-3-haiku-20240307", "anthropic", "output_usd_per_mtok", "1.25"),
        ("claude-3-haiku-20240307", "anthropic", "deprecated", True)], as_of=MODELSDEV_AS_OF)
    reconcile(con, 1, AUG)
    assert offering(con, "claude-3-haiku-20240307") == [(None, "deprecating", True)]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_retired_routes_price_history_closes_at_its_retirement_never_before_it_opened(con):
    january = [f for f in AZURE_LARGE + VERTEX_HAIKU if f[2] != "deprecation_date"]
    anchor(con, JAN)
    land(con, "litellm", LITELLM_URL, JAN, january, as_of="litellm-1.80.0", data_date=JAN)
    reconcile(con, 1, JAN)
    land(con, "litellm", LITELLM_URL, AUG, AZURE_LARGE + VERTEX_HAIKU, as_of=LABEL, run_id=2,
         data_date=datetime(2026, 8, 24, tzinfo=timezone.utc))
    con.execute("UPDATE raw_documents SET last_fetched_at = fetched_at")
    reconcile(con, 2, CALENDAR)
    history = {r: (s, e) for r, s, e in rows(con, "SELECT route, valid_from, valid_to FROM price_history")}
    # Haiku opened in January and retired 2026-08-23: closed at its retirement date
    assert history["vertex_ai/claude-3-haiku"] == (JAN, datetime(2026, 8, 23, tzinfo=timezone.utc))
    # Large 2407 opened 2026-01-17, after its 2025-05-13 retirement: closed where it opened, not before
    assert history["azure_ai/mistral-large-2407"] == (JAN, JAN)
    # first seen already retired: one closed row, and a rerun adds none
    fresh = duckdb.connect()
    apply_schema(fresh)
    anchor(fresh)
    land(fresh, "litellm", LITELLM_URL, AUG, AZURE_LARGE, as_of=LABEL, data_date=SNAPSHOT_DAY)
    reconcile(fresh, 1, CALENDAR)
    reconcile(fresh, 2, CALENDAR)
    assert rows(fresh, "SELECT valid_from, valid_to FROM price_history WHERE source = 'litellm'") == [(SNAPSHOT_DAY, SNAPSHOT_DAY)]


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_listing_date_never_becomes_a_release_date(con):
    # OpenRouter listed Large 2407 on 2024-11-19 (created 1731974400); models.dev's OpenRouter and
    # Kilo Gateway entries copy that date as their release_date. Mistral released it in July 2024.
    land(con, "openrouter", OR_URL, AUG, [("mistralai/mistral-large-2407", "openrouter", "listed_at", "2024-11-19"),
                                          ("mistralai/mistral-large-2407", "openrouter", "input_usd_per_mtok", "2")],
         as_of=MODELSDEV_AS_OF)
    land(con, "modelsdev", MODELSDEV_URL, AUG, [
        ("mistralai/mistral-large-2407", "openrouter", "release_date", "2024-11-19"),
        ("mistralai/mistral-large-2407", "kilo", "release_date", "2024-11-19"),
        ("mistral-large-2407", "azure", "release_date", "2024-11-19")], as_of=MODELSDEV_AS_OF)
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT release_date FROM models WHERE model_id = 'mistralai/mistral-large-2407'") == [(None,)]
    assert rows(con, "SELECT provider_id, source, listed_at FROM offerings WHERE listed_at IS NOT NULL ORDER BY ALL") == [
        ("kilo", "modelsdev", date(2024, 11, 19)), ("openrouter", "modelsdev", date(2024, 11, 19)),
        ("openrouter", "openrouter", date(2024, 11, 19))]
    assert rows(con, "SELECT kind FROM providers WHERE provider_id = 'kilo'") == [("aggregator",)]
    # even if OpenRouter's extractor went back to calling `created` a release date, it stays a listing
    land(con, "openrouter", OR_URL + "?again", AUG,
         [("mistralai/mistral-large-2407", "openrouter", "release_date", "2024-11-19")], as_of=MODELSDEV_AS_OF)
    reconcile(con, 2, AUG)
    assert rows(con, "SELECT release_date FROM models WHERE model_id = 'mistralai/mistral-large-2407'") == [(None,)]
    # the vendor's own entry dates the release
    land(con, "modelsdev", MODELSDEV_URL + "?vendor", AUG,
         [("mistral-large-2407", "mistral", "release_date", "2024-07-24")], as_of=MODELSDEV_AS_OF)
    reconcile(con, 3, AUG)
    assert rows(con, "SELECT release_date FROM models WHERE model_id = 'mistralai/mistral-large-2407'") == [
        (date(2024, 7, 24),)]


@pytest.fixture(scope="module")
def demo():
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot_files(con, 1, DEMO_SNAPSHOT, AUG)
    reconcile(con, 1, CALENDAR)
    yield con
    con.close()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_on_the_demo_large_2407_has_no_listing_date_as_release_date_and_its_retired_azure_route_is_gone(demo):
    large, small = "mistralai/mistral-large-2407", "mistralai/mistral-small-2603"
    listed = {d for d, in rows(demo, "SELECT listed_at FROM offerings WHERE model_id = ? AND listed_at IS NOT NULL", [large])}
    assert listed == {date(2024, 11, 19)}
    released = rows(demo, "SELECT release_date FROM models WHERE model_id = ?", [large])[0][0]
    assert released not in listed  # unknown on the demo: no vendor, catalogue or card states it
    facts = load_facts(demo, [large, small])
    routes = {(r.provider_id, r.route) for r in facts[large].routes}
    assert ("azure", "azure_ai/mistral-large-2407") not in routes and len(routes) == 3
    record = RecordBuilder(demo, [large, small]).record(large, small)
    side = record.side_a
    assert side.routes == 3 and "azure" not in side.providers
    assert "azure" not in side.cheapest_input.providers and "azure" not in side.blended.providers


def test_a_deprecating_route_is_listed_with_its_warning_and_named_in_switch_friction(demo):
    # LiteLLM: Vertex AI's Claude Sonnet 4.5 retires 2026-09-29, after the demo's 2026-08-22
    sonnet = "anthropic/claude-sonnet-4.5"
    facts = load_facts(demo, [sonnet, "anthropic/claude-haiku-4.5"])
    going = [r for r in facts[sonnet].routes if r.deprecating]
    assert ("google-vertex", date(2026, 9, 29)) in {(r.provider_id, r.retired_on) for r in going}
    record = RecordBuilder(demo, [sonnet, "anthropic/claude-haiku-4.5"]).record(sonnet, "anthropic/claude-haiku-4.5")
    said = " ".join(record.switch_friction.statements)
    assert "Deprecated routes" in said and "retires 2026-09-29" in said


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_on_2026_08_retirements_are_read_and_no_route_retired_before_the_snapshot_is_active(shared_snapshots):
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot_files(con, 1, shared_snapshots / "2026-08", CALENDAR)
    reconcile(con, 1, CALENDAR)
    assert datetime.fromisoformat(Snapshot(shared_snapshots / "2026-08").data_date) == SNAPSHOT_DAY
    (dated, retired, deprecating, active_retired), = rows(con, """
        SELECT count(*) FILTER (WHERE retired_on IS NOT NULL), count(*) FILTER (WHERE status = 'retired'),
               count(*) FILTER (WHERE status = 'deprecating'),
               count(*) FILTER (WHERE active AND retired_on <= DATE '2026-08-21')
        FROM offerings""")
    print(f"\n2026-08: {dated} offerings carry retired_on, {retired} retired, {deprecating} deprecating")
    assert dated > 100 and active_retired == 0
    assert rows(con, "SELECT retired_on, status, active FROM offerings WHERE route = 'azure_ai/mistral-large-2407'") == [
        (date(2025, 5, 13), "retired", False)]
    assert rows(con, "SELECT count(*) FROM price_history h JOIN offerings o USING (model_id, provider_id, source, route) "
                     "WHERE o.status = 'retired' AND h.valid_to IS NULL") == [(0,)]
    assert rows(con, "SELECT count(*) FROM price_history WHERE valid_to < valid_from") == [(0,)]
    con.close()


def test_an_aggregator_class_split_evenly_within_one_source_is_settled_by_the_other_listings(con):
    # models.dev, 2026-08, Phi-4-multimodal-instruct's open_weights: two gateways split (NanoGPT
    # false, GitHub Models true); Azure's two entries say true, NVIDIA's false. Value order must
    # not decide it: the listings outside the class (3 true against 2 false) do.
    land(con, "modelsdev", MODELSDEV_URL, AUG, [
        ("microsoft/phi-4-multimodal-instruct", "nano-gpt", "open_weights", False),
        ("microsoft/phi-4-multimodal-instruct", "github-models", "open_weights", True),
        ("microsoft/phi-4-multimodal-instruct", "nvidia", "open_weights", False),
        ("phi-4-multimodal-instruct", "azure", "open_weights", True),
        ("phi-4-multimodal-instruct", "azure-cognitive-services", "open_weights", True)], as_of=MODELSDEV_AS_OF)
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT open_weights FROM models WHERE model_id = 'microsoft/phi-4-multimodal-instruct'") == [(True,)]
