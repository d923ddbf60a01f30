"""The comparisons table: which pairs, their figures, incremental refresh and last_reviewed."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from flows.steps import SOURCES
from records.schema import CAPABILITIES
from tests.comparison_helpers import LARGE, QWEN, SMALL, demo_warehouse
from tests.offering_edits import insert_offering, update_offerings
from warehouse.comparisons import ComparisonSettings, refresh_comparisons
from warehouse.export import stored_traffic
from warehouse.records import RecordBuilder

QWEN72 = "qwen/qwen2-72b-instruct"  # sorts before QWEN: pairs are (QWEN72, QWEN)
DAY1, DAY2, DAY3 = date(2026, 8, 21), date(2026, 8, 22), date(2026, 8, 23)


def add_qwen72(con) -> None:
    """Qwen2-72B-Instruct on Fireworks at $0.90/$0.90: a fourth model (not in the demo snapshot) that
    only one source lists."""
    con.execute("""INSERT INTO models (model_id, name, vendor, family, context_window, architecture, license,
                                       open_weights, kind)
                   VALUES (?, 'Qwen2-72B-Instruct', 'qwen', 'qwen2', 32768, 'dense', NULL, true, 'chat')""", [QWEN72])
    insert_offering(con, model_id=QWEN72, provider_id="fireworks-ai", source="litellm",
                    route="fireworks_ai/accounts/fireworks/models/qwen2-72b-instruct", input_usd_per_mtok=0.9,
                    output_usd_per_mtok=0.9, context_window=32768, active=True, source_provider_id="fireworks_ai",
                    preferred=True)


TRACKED = [LARGE, SMALL, QWEN, QWEN72]  # of the demo's models, the three the record tests know, and Qwen2-72B


def compare(con, run_id: int, day: date, settings: ComparisonSettings | None = None):
    """refresh_comparisons over the tracked models (settings may narrow them further)."""
    settings = settings or ComparisonSettings()
    if settings.model_ids is None:
        settings = settings.model_copy(update={"model_ids": TRACKED})
    return refresh_comparisons(con, run_id, day, settings)


def add_run(con, run_id: int, failed: tuple[str, ...] = (), absent: tuple[str, ...] = ()) -> None:
    con.execute("INSERT INTO runs (run_id, started_at) VALUES (?, now())", [run_id])
    for s in SOURCES:  # every source a nightly run fetches (leaderboards too: records cite their rows)
        if s not in absent:
            con.execute("INSERT INTO run_sources VALUES (?, ?, ?, 1, 0, 0, ?, now())",
                        [run_id, s, "failed" if s in failed else "ok", f"{s}: HTTP 503" if s in failed else None])


def rows(con) -> dict[tuple[str, str], dict]:
    cur = con.execute("SELECT * FROM comparisons")
    names = [d[0] for d in cur.description]
    return {(r[0], r[1]): dict(zip(names, r)) for r in cur.fetchall()}


@pytest.fixture
def con():
    """The demo refresh's warehouse before any comparison was made, plus Qwen2-72B."""
    con = demo_warehouse()
    con.execute("DELETE FROM comparisons; DELETE FROM comparison_models")
    add_qwen72(con)
    yield con
    con.close()


def test_one_row_per_pair_of_tracked_models_in_canonical_order(con):
    summary = compare(con, 1, DAY1)
    assert (summary.tracked_models, summary.pairs_total, summary.pairs_regenerated) == (4, 6, 6)
    pairs = rows(con)
    assert all(a < b for a, b in pairs) and len(pairs) == 6
    assert con.execute("SELECT count(*) FROM (SELECT DISTINCT model_a, model_b FROM comparisons)").fetchone()[0] == 6
    small_qwen = pairs[(SMALL, QWEN)]
    assert small_qwen["cheaper_model"] == QWEN and small_qwen["percent_cheaper"] == D("29.8")
    assert small_qwen["times_as_much"] == D("1.4") and small_qwen["monthly_gap_usd"] == D(7)
    # Qwen2-7B-Instruct's card states text only (vision No, pipeline_tag text-generation); no demo
    # source states its other capabilities (unknown), so vision is the one capability Small 4 has alone
    assert small_qwen["a_only_capabilities"] == ["vision"] and small_qwen["b_only_capabilities"] == []
    assert small_qwen["shared_benchmark_rows"] == 0 and small_qwen["overlapping_providers"] == []
    assert pairs[(LARGE, SMALL)]["overlapping_providers"] == ["kilo", "openrouter"]


def test_only_models_with_a_priced_active_route_are_tracked(con):
    update_offerings(con, "model_id = ?", [QWEN72], output_usd_per_mtok=None)
    assert compare(con, 1, DAY1).tracked_models == 3
    update_offerings(con, "model_id = ?", [QWEN72], output_usd_per_mtok=0.9, active=False)
    assert compare(con, 1, DAY1).tracked_models == 3
    update_offerings(con, "model_id = ?", [QWEN72], active=True, variant="free", input_usd_per_mtok=0,
                     output_usd_per_mtok=0)
    assert compare(con, 1, DAY1).tracked_models == 3
    update_offerings(con, "model_id = ?", [QWEN72], variant=None)  # $0 in and out: a trial
    assert compare(con, 1, DAY1).tracked_models == 3
    update_offerings(con, "model_id = ?", [QWEN72], input_usd_per_mtok=0.9, output_usd_per_mtok=0.9)
    assert compare(con, 1, DAY1).tracked_models == 4


def test_settings_narrow_the_tracked_models(con):
    only = compare(con, 1, DAY1, ComparisonSettings(model_ids=[LARGE, SMALL]))
    assert (only.tracked_models, only.pairs_total) == (2, 1) and list(rows(con)) == [(LARGE, SMALL)]
    vendor = compare(con, 1, DAY1, ComparisonSettings(model_ids=TRACKED, vendors=["QWEN"]))
    assert (vendor.tracked_models, vendor.pairs_total, vendor.pairs_removed) == (2, 1, 1)
    assert list(rows(con)) == [(QWEN72, QWEN)]


def test_every_row_agrees_with_the_full_record_of_its_pair(con):
    compare(con, 1, DAY1, ComparisonSettings(input_tokens_per_month=12_345_678,
                                                         output_tokens_per_month=987_654, input_share=0.65))
    builder = RecordBuilder(con, [LARGE, SMALL, QWEN, QWEN72], stored_traffic(con))
    assert builder.traffic.input_share == D("0.65")
    for (a, b), row in rows(con).items():
        r = builder.record(a, b, row["last_reviewed"])
        for side, fig in (("a", r.side_a), ("b", r.side_b)):
            for name in ("input", "output", "blended", "monthly"):
                cheapest = getattr(fig, "monthly" if name == "monthly" else
                                   "blended" if name == "blended" else f"cheapest_{name}")
                column = f"{side}_{name}_usd" if name == "monthly" else f"{side}_{name}_usd_per_mtok"
                assert row[column] == cheapest.usd, (a, b, column)
                assert row[f"{side}_{name}_providers"] == cheapest.providers, (a, b, name)
            assert row[f"{side}_context_window"] == fig.context_window and row[f"{side}_routes"] == fig.routes
        assert row["cheaper_model"] == r.price.cheaper_model
        assert row["percent_cheaper"] == r.price.percent_cheaper and row["times_as_much"] == r.price.times_as_much
        assert row["monthly_gap_usd"] == r.price.monthly_gap_usd
        assert row["overlapping_providers"] == r.switch_friction.overlapping_providers
        assert set(row["a_only_capabilities"]) == set(r.switch_friction.only_a)
        assert set(row["b_only_capabilities"]) == set(r.switch_friction.only_b)
        assert set(row["a_only_capabilities"]) <= set(CAPABILITIES)
        assert row["shared_benchmark_rows"] == len(r.benchmarks.rows) == 0
        assert r.last_reviewed == row["last_reviewed"] == DAY1


def test_a_refresh_rewrites_only_pairs_whose_inputs_changed(con):
    compare(con, 1, DAY1)
    first = rows(con)
    again = compare(con, 1, DAY1)
    assert (again.models_changed, again.pairs_regenerated, again.last_reviewed_moved) == (0, 0, 0)
    assert rows(con) == first
    con.execute("UPDATE offering_listings SET last_seen = now()")  # a new fetch of the same facts changes nothing
    assert compare(con, 1, DAY1).pairs_regenerated == 0
    update_offerings(con, "model_id = ?", [QWEN], input_usd_per_mtok=0.25)
    price = compare(con, 1, DAY1)
    assert (price.models_changed, price.pairs_regenerated, price.pairs_removed, price.pairs_total) == (1, 3, 0, 6)
    after = rows(con)
    for pair, row in after.items():
        moved = QWEN in pair
        assert (row["content_hash"] != first[pair]["content_hash"]) == moved, pair
        assert (row["changed_at"] > first[pair]["changed_at"]) == moved, pair
    assert after[(SMALL, QWEN)]["b_input_usd_per_mtok"] == D("0.25")
    con.execute("UPDATE providers SET name = 'Fireworks' WHERE provider_id = 'fireworks-ai'")  # shown in records
    assert compare(con, 1, DAY1).pairs_regenerated == 5  # every pair with a Fireworks model


def test_untracked_models_lose_their_pairs_and_settings_changes_rewrite_all(con):
    compare(con, 1, DAY1)
    update_offerings(con, "model_id = ?", [QWEN72], active=False)
    gone = compare(con, 1, DAY1)
    assert (gone.tracked_models, gone.pairs_total, gone.pairs_removed, gone.pairs_regenerated) == (3, 3, 3, 0)
    traffic = compare(con, 1, DAY1, ComparisonSettings(output_tokens_per_month=1))
    assert traffic.pairs_regenerated == 3
    assert rows(con)[(LARGE, QWEN)]["a_monthly_usd"] == D("200.000006")


def test_last_reviewed_moves_only_where_every_contributing_source_succeeded(con):
    compare(con, 1, DAY1)
    # Run 2: OpenRouter failed. The Mistral models depend on it (aliases and offerings); neither
    # Qwen does. A Mistral price also changed: its pairs are regenerated, yet not reviewed.
    add_run(con, 2, failed=("openrouter",))
    # (Bedrock: an active route; Azure's retired on 2025-05-13 and no longer prices the model)
    update_offerings(con, "model_id = ? AND provider_id = 'amazon-bedrock'", [LARGE], output_usd_per_mtok=5)
    summary = compare(con, 2, DAY2)
    assert summary.pairs_regenerated == 3 and summary.last_reviewed_moved == 1
    reviewed = {pair: row["last_reviewed"] for pair, row in rows(con).items()}
    assert reviewed == {(LARGE, SMALL): DAY1, (LARGE, QWEN): DAY1, (LARGE, QWEN72): DAY1,
                        (SMALL, QWEN): DAY1, (SMALL, QWEN72): DAY1, (QWEN72, QWEN): DAY2}
    assert rows(con)[(LARGE, SMALL)]["a_output_usd_per_mtok"] == D(5)
    # Run 3: a source that was not fetched at all counts as not fetched successfully. genai-prices lists
    # Small 4 (at mistral and openrouter) and none of the others: only Small 4's pairs stay behind.
    add_run(con, 3, absent=("genai_prices",))
    moved = compare(con, 3, DAY3)
    reviewed = {pair: row["last_reviewed"] for pair, row in rows(con).items()}
    assert moved.last_reviewed_moved == 3
    assert reviewed == {(LARGE, SMALL): DAY1, (LARGE, QWEN): DAY3, (LARGE, QWEN72): DAY3,
                        (SMALL, QWEN): DAY1, (SMALL, QWEN72): DAY1, (QWEN72, QWEN): DAY3}
    # Run 4: everything fetched: every pair moves, changed or not.
    add_run(con, 4)
    assert compare(con, 4, date(2026, 8, 24)).last_reviewed_moved == 6
    assert {row["last_reviewed"] for row in rows(con).values()} == {date(2026, 8, 24)}


def test_a_failed_refresh_leaves_the_table_as_it_was(con):
    compare(con, 1, DAY1)
    before = rows(con)
    update_offerings(con, "model_id = ?", [QWEN], input_usd_per_mtok=0.3)
    with pytest.raises(Exception):
        compare(con, 1, DAY2, ComparisonSettings.model_construct(
            input_tokens_per_month="not a number", output_tokens_per_month=1, input_share=D("0.7"),
            model_ids=None, vendors=None))
    assert rows(con) == before
