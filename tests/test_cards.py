"""Hugging Face model cards in the reconciled tables: which repos a refresh crawls (sources' links
and `hugging_face_repos` in aliases.yaml), the alias file's links as identity, the card winning
over aggregators, and a card that disagrees with itself kept in `conflicts`.

The refresh replays `snapshots/demo` end to end; the hand-landed facts are the Mistral Small 4
card's own statements (its title says 'A6B', its text '6.5B activated per token').
"""
from datetime import datetime, timezone
from decimal import Decimal

import duckdb
import pytest

from flows.steps import card_repos
from pipeline import curated
from pipeline.identity import AliasFile, SourceId, alias_file, resolve_ids
from tests.comparison_helpers import demo_template
from tests.conftest import PROJECT_ROOT
from tests.test_reconcile import OR_URL, land, rows
from warehouse.reconcile import reconcile

CARD = "https://huggingface.co/{}/raw/main/README.md"
AUG = datetime(2026, 8, 22, tzinfo=timezone.utc)
FIREWORKS_QWEN2 = "fireworks_ai/accounts/fireworks/models/qwen2-7b-instruct"


@pytest.fixture(scope="module")
def demo():
    """The session's demo refresh (every source, both crawl phases: tests.comparison_helpers), read-only."""
    con = duckdb.connect(str(demo_template()), read_only=True)
    yield con
    con.close()


def model(con, model_id: str) -> dict:
    cur = con.execute("SELECT * FROM models WHERE model_id = ?", [model_id])
    names = [d[0] for d in cur.description]
    found = cur.fetchall()
    assert len(found) == 1, f"{model_id}: {len(found)} rows in models"
    return dict(zip(names, found[0]))


def chosen_sources(con, model_id: str, column: str) -> set[tuple[str, str]]:
    """(source, source id) of the lineage rows that state the published value."""
    return set(rows(con, "SELECT source, source_id FROM lineage WHERE entity_type = 'model' AND entity = ? "
                         "AND field = ? AND chosen", [model_id, column]))


# --- the demo refresh -------------------------------------------------------------------------

def test_the_crawl_fetches_the_alias_files_repos_and_the_sources_links(demo):
    repos = card_repos(demo)
    assert set(alias_file().hugging_face_repos.values()) <= set(repos)
    linked = {r for (r,) in rows(demo, "SELECT value_text FROM current_observations WHERE field = 'hugging_face_id'")}
    assert linked <= set(repos) and len(repos) == len({r.lower() for r in repos})
    crawled = {r for (r,) in rows(demo, "SELECT DISTINCT model_id FROM current_observations WHERE source = 'huggingface'")}
    # 9 repos of the demo snapshot: 4 that OpenRouter links and the 5 the alias file adds
    assert crawled == {"meta-llama/Llama-3.3-70B-Instruct", "mistralai/Mistral-Nemo-Instruct-2407",
                       "mistralai/Mistral-Small-4-119B-2603", "openai/gpt-oss-120b",
                       *alias_file().hugging_face_repos.values()}


def test_qwen2_7b_instruct_is_one_model_with_its_fireworks_offering_and_card_facts(demo):
    qwen = model(demo, "qwen/qwen2-7b-instruct")
    assert (qwen["name"], qwen["vendor"], qwen["license"], qwen["params_total"], qwen["architecture"]) == \
        ("Qwen2-7B-Instruct", "qwen", "Apache-2.0", 7_615_616_512, "dense")
    assert rows(demo, "SELECT source, route, input_usd_per_mtok, output_usd_per_mtok, active FROM offerings "
                      "WHERE model_id = 'qwen/qwen2-7b-instruct'") == [
        ("litellm", FIREWORKS_QWEN2, Decimal("0.2"), Decimal("0.2"), True)]
    assert set(rows(demo, "SELECT source, source_id, method, rule FROM model_aliases "
                          "WHERE model_id = 'qwen/qwen2-7b-instruct'")) == {
        ("huggingface", "Qwen/Qwen2-7B-Instruct", "link", "alias_file"),
        ("litellm", FIREWORKS_QWEN2, "rule", "exact")}
    assert rows(demo, "SELECT count(*) FROM models WHERE model_id ILIKE '%qwen2-7b%'") == [(1,)]
    for column in ("license", "params_total", "architecture"):
        assert {s for s, _ in chosen_sources(demo, "qwen/qwen2-7b-instruct", column)} == {"huggingface"}


def test_mistral_large_2407_takes_its_license_from_the_hub_and_states_no_unconfirmed_parameters(demo):
    large = model(demo, "mistralai/mistral-large-2407")
    assert large["license"] == "Mistral Research License"
    assert chosen_sources(demo, "mistralai/mistral-large-2407", "license") == {
        ("huggingface", "mistralai/Mistral-Large-Instruct-2407")}
    # the repo is gated: its card and config answer 401, and no public source states its safetensors
    # total, so no source in the demo states its parameters or architecture: unknown, not a guess
    assert (large["params_total"], large["architecture"]) == (None, None)
    assert {url.split("?")[0] for (url,) in rows(demo, "SELECT DISTINCT url FROM lineage WHERE source = 'huggingface' "
                                                        "AND entity = 'mistralai/mistral-large-2407'")} == {
        "https://huggingface.co/api/models/mistralai/Mistral-Large-Instruct-2407"}
    assert rows(demo, "SELECT model_id FROM model_aliases WHERE source = 'huggingface' "
                      "AND source_id = 'mistralai/Mistral-Large-Instruct-2407'") == [("mistralai/mistral-large-2407",)]


def test_mistral_small_4_is_a_moe_whose_active_parameters_trace_to_its_card(demo):
    small = model(demo, "mistralai/mistral-small-2603")
    assert (small["architecture"], small["params_total"], small["params_active"]) == ("moe", 119_000_000_000,
                                                                                      6_500_000_000)
    assert set(rows(demo, "SELECT field, value_int FROM current_observations WHERE source = 'huggingface' "
                          "AND model_id = 'mistralai/Mistral-Small-4-119B-2603' "
                          "AND field IN ('num_experts', 'experts_per_token')")) == {
        ("num_experts", 128), ("experts_per_token", 4)}
    assert rows(demo, "SELECT source, url, value FROM lineage WHERE entity = 'mistralai/mistral-small-2603' "
                      "AND field = 'params_active' AND chosen") == [
        ("huggingface", CARD.format("mistralai/Mistral-Small-4-119B-2603"), "6500000000")]


def test_the_card_wins_license_parameters_and_architecture_wherever_it_states_them(demo):
    stated = rows(demo, """
        SELECT entity, field, bool_or(source = 'huggingface' AND chosen) AS card_chosen
        FROM lineage
        WHERE entity_type = 'model' AND field IN ('license', 'params_total', 'params_active', 'architecture')
        GROUP BY ALL HAVING bool_or(source = 'huggingface') ORDER BY ALL""")
    assert len(stated) >= 15
    assert [(e, f) for e, f, card_chosen in stated if not card_chosen] == []


# --- identity and conflicts, hand-landed ----------------------------------------------------------

def test_the_alias_files_repo_is_a_link_and_founds_its_model_under_the_alias_files_id():
    large = [SourceId("openrouter", "openrouter", "mistralai/mistral-large-2407"),
             SourceId("huggingface", None, "mistralai/Mistral-Large-Instruct-2407")]
    linked = resolve_ids(large, [])
    assert set(linked.models) == {"mistralai/mistral-large-2407"}
    assert {(r.model_id, r.method, r.rule) for r in linked.resolutions} == {
        ("mistralai/mistral-large-2407", "rule", "exact"), ("mistralai/mistral-large-2407", "link", "alias_file")}
    # without the link nor the alias of its name, the repo's '-instruct' spelling of the dated name is
    # still merged into the one model (identity.merge_spellings), never a second model beside it
    unlinked = resolve_ids(large, [], repos={}, aliases=[])
    assert set(unlinked.models) == {"mistralai/mistral-large-2407"}
    assert {r.model_id for r in unlinked.resolutions} == {"mistralai/mistral-large-2407"}
    qwen = [SourceId("huggingface", None, "Qwen/Qwen2-7B-Instruct"), SourceId("litellm", "fireworks_ai", FIREWORKS_QWEN2)]
    founded = resolve_ids(qwen, [], repos={"qwen/qwen2-7b-instruct-renamed": "Qwen/Qwen2-7B-Instruct"})
    assert {r.model_id for r in founded.resolutions} == {"qwen/qwen2-7b-instruct-renamed"}
    assert set(resolve_ids(qwen, [], repos={}).models) == {"qwen/qwen2-7b-instruct"}
    # no card: Fireworks' catalogue of weights names the repo and founds the same model id itself
    alone = resolve_ids(qwen[1:], [], repos={}).resolutions[0]
    assert (alone.model_id, alone.method) == ("qwen/qwen2-7b-instruct", "rule")


def test_a_typo_in_the_alias_files_repo_links_names_file_and_line():
    text = (PROJECT_ROOT / "pipeline" / "aliases.yaml").read_text(encoding="utf-8")
    entry = "mistralai/mistral-large-2407: mistralai/Mistral-Large-Instruct-2407"
    line = text[:text.index(entry)].count("\n") + 1
    for typo, message in [
            ("mistral/mistral-large-2407: mistralai/Mistral-Large-Instruct-2407",
             "hugging_face_repos.mistral/mistral-large-2407: 'mistral' is not a vendor listed under `vendors`"),
            ("mistralai/mistral-large-2407: mistralai Mistral-Large-Instruct-2407",
             "hugging_face_repos.mistralai/mistral-large-2407: String should match pattern"),
            ("mistralai/mistral-large-2407: Qwen/Qwen2-7B-Instruct",
             "hugging_face_repos.qwen/qwen2-7b-instruct: 'Qwen/Qwen2-7B-Instruct' is linked to "
             "'mistralai/mistral-large-2407' too")]:
        with pytest.raises(curated.CuratedFileError) as err:
            curated.load_text(text.replace(entry, typo), "pipeline/aliases.yaml", AliasFile)
        where = line if "Qwen/" not in typo else text[:text.index("qwen/qwen2-7b-instruct: ")].count("\n") + 1
        assert f"pipeline/aliases.yaml:{where}: {message}" in str(err.value)


def test_card_repos_are_the_sources_links_and_the_alias_files_repos(con):
    land(con, "openrouter", OR_URL, AUG, [
        ("mistralai/mistral-small-2603", "openrouter", "hugging_face_id", "mistralai/Mistral-Small-4-119B-2603")])
    assert card_repos(con) == sorted([*alias_file().hugging_face_repos.values(), "mistralai/Mistral-Small-4-119B-2603"])


def test_a_card_stating_two_values_for_one_field_is_a_conflict_not_collapsed(con):
    repo = "mistralai/Mistral-Small-4-119B-2603"
    land(con, "openrouter", OR_URL, AUG, [("mistralai/mistral-small-2603", "openrouter", "hugging_face_id", repo)])
    land(con, "huggingface", CARD.format(repo), AUG, [
        (repo, None, "params_active", 6_500_000_000, "card states 6.5B active"),
        (repo, None, "params_active", 6_000_000_000, "card title states A6B")])
    reconcile(con, 1, AUG)
    (published,), = rows(con, "SELECT params_active FROM models WHERE model_id = 'mistralai/mistral-small-2603'")
    (candidates, chosen, source, reason), = rows(
        con, "SELECT candidates, chosen, chosen_source, reason FROM conflicts "
             "WHERE entity = 'mistralai/mistral-small-2603' AND field = 'params_active'")
    assert {(c["source"], c["value"]) for c in candidates} == {("huggingface", "6500000000"),
                                                               ("huggingface", "6000000000")}
    assert (chosen, source) == (str(published), "huggingface")
    assert "huggingface itself states" in reason and "card states 6.5B active" in reason \
        and "card title states A6B" in reason and f"{published} [" in reason
    assert set(rows(con, "SELECT value, chosen FROM lineage WHERE field = 'params_active'")) == {
        (str(published), True), ("6500000000" if published == 6_000_000_000 else "6000000000", False)}


def test_mistral_small_4_active_parameter_disagreement_is_visible(demo):
    """The card's title names 6B active, its text 6.5B: the stated figure is used, and both are shown."""
    (conflict,) = rows(demo, "SELECT candidates, chosen, chosen_source, reason FROM conflicts "
                             "WHERE entity = 'mistralai/mistral-small-2603' AND field = 'params_active'")
    candidates, chosen, source, reason = conflict
    assert {c["value"] for c in candidates} == {"6000000000", "6500000000"}
    assert (chosen, source) == ("6500000000", "huggingface")
    assert "6.5B" in reason and "A6B" in reason


def test_published_weights_make_open_weights_yes_over_an_aggregator(demo):
    """Mistral Large 2 (2407)'s weights are on the Hub under a research license: open, not open source."""
    large = model(demo, "mistralai/mistral-large-2407")
    assert (large["open_weights"], large["license"]) == (True, "Mistral Research License")


def test_demo_pair_pages_match_their_reviewed_golden_files(demo):
    """The golden pages of the two demo pairs (tests/golden/, reviewed by eye against the facts)."""
    from tests.golden import DEMO_PAIRS, FORMATS, golden_path, render_pair

    (path,) = demo.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    for a, b in DEMO_PAIRS:
        for fmt in FORMATS:
            assert render_pair(path, a, b, fmt) == golden_path(a, b, fmt).read_text(), f"{a} vs {b} ({fmt})"
