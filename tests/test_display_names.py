"""Display names (pipeline/display_names.py, models.name in warehouse/sql/reconcile/int_models.sql):
a model is shown under a name a source states for it, without the listing's annotations, and only
a model no source names is shown under its id's own words."""
import re

import duckdb
import pytest

from pipeline.display_names import display_name, id_name

# What a listing adds to a model's name, as the sources write it (the demo and 2026-08 snapshots).
ANNOTATED = re.compile(r"\((latest|free|us|eu|global|jp|au|apac)\)\s*$|^[^:()]{1,40}:\s", re.IGNORECASE)

STATED_NAMES = """
    SELECT a.model_id, o.source, o.provider_id, o.model_id AS source_id, o.value_text AS name
    FROM current_observations o
    JOIN model_aliases a ON a.source = o.source AND a.source_id = o.model_id
                        AND a.provider_id IS NOT DISTINCT FROM o.provider_id
    WHERE o.field = 'name' AND a.model_id IS NOT NULL"""


@pytest.mark.parametrize("stated, shown", [
    ("Claude Sonnet 4.5 (latest)", "Claude Sonnet 4.5"),  # models.dev anthropic/claude-sonnet-4-5, the alias
    ("Claude Haiku 4.5 (EU)", "Claude Haiku 4.5"),        # models.dev amazon-bedrock eu.anthropic..., a region
    ("Gemma 3 (free)", "Gemma 3"),                        # genai-prices' OpenRouter ':free' route (2026-08)
    ("Mistral: Mixtral 8x7B Instruct", "Mixtral 8x7B Instruct"),  # models.dev nvidia, OpenRouter's prefix
    ("Anthropic: Claude Opus 4.6 (Fast)", "Claude Opus 4.6 (Fast)"),  # models.dev kilo: Fast is a model
    ("GPT-4o (2024-11-20)", "GPT-4o (2024-11-20)"),       # a snapshot's date names the snapshot
    ("Phi-3-mini instruct (128k)", "Phi-3-mini instruct (128k)"),  # the 128k model, not the 4k one
    ("Nano Banana 2 (Gemini 3.1 Flash Image)", "Nano Banana 2 (Gemini 3.1 Flash Image)"),
    ("Llama 4 Scout (17Bx16E)", "Llama 4 Scout (17Bx16E)"),
    ("GPT-4o mini", "GPT-4o mini"),
    (" (latest)", None),
    (None, None),
])
def test_a_name_loses_its_listings_annotations_only(stated, shown):
    assert display_name(stated) == shown


def test_a_model_no_source_names_shows_its_ids_own_words():
    assert id_name("openai/gpt-oss-20b") == "gpt-oss-20b"  # as OpenAI's API spells it, not 'Gpt Oss 20b'
    assert id_name("moonshotai/kimi-k2.6") == "kimi-k2.6"
    assert id_name("no-vendor-id") == "no-vendor-id"


def names_as_stated(con) -> dict[str, set[str | None]]:
    stated: dict[str, set[str | None]] = {}
    for model_id, *_, name in con.execute(STATED_NAMES).fetchall():
        stated.setdefault(model_id, set()).add(display_name(name))
    return stated


def check_names(con) -> dict[str, int]:
    """Every model's name is one a source states for it (as shown), else its id's words; none is
    its raw id or carries an annotation. Returns what the sources state that the names avoid."""
    names = dict(con.execute("SELECT model_id, name FROM models").fetchall())
    stated = names_as_stated(con)
    for model_id, name in names.items():
        if stated.get(model_id, set()) - {None}:
            assert name in stated[model_id], (model_id, name, sorted(stated[model_id] - {None}))
        else:
            assert name == id_name(model_id), (model_id, name)
        assert not ANNOTATED.search(name), (model_id, name)
    raw = [m for m, n in names.items() if n == m and not {n} <= stated.get(m, set())]
    assert raw == [], raw
    annotated = {m for m, *_, n in con.execute(STATED_NAMES).fetchall() if n and ANNOTATED.search(n)}
    unnamed = {m for m in names if not stated.get(m, set()) - {None}}
    return {"annotated": len(annotated & names.keys()), "unnamed": len(unnamed)}


@pytest.fixture(scope="module")
def demo_db(demo_site):
    db, site = demo_site
    con = duckdb.connect(str(db), read_only=True)
    yield con, site
    con.close()


def test_demo_names_are_the_sources_names_without_annotations(demo_db):
    con, _ = demo_db
    seen = check_names(con)
    # the demo's sources annotate Claude's names ('(latest)', '(EU)') and Mixtral's ('Mistral: ');
    # Kimi K2.6, GLM-5.2 and GPT OSS 20B, which only pricing pages list, are named as the pages write them
    assert seen["annotated"] >= 3 and seen["unnamed"] == 0, seen


@pytest.mark.parametrize("model_id, name", [
    # Anthropic's own entries (models.dev anthropic, genai-prices anthropic): 'Claude Sonnet 4.5';
    # the catalogue's undated alias says 'Claude Sonnet 4.5 (latest)'
    ("anthropic/claude-sonnet-4.5", "Claude Sonnet 4.5"),
    # DeepSeek's entry for deepseek-v3.2 and OpenRouter's: 'DeepSeek V3.2'; 'DeepSeek Chat' is the
    # name of the deepseek-chat alias that OpenRouter ties to it
    ("deepseek/deepseek-v3.2", "DeepSeek V3.2"),
    ("openai/gpt-4o-2024-11-20", "GPT-4o (2024-11-20)"),  # models.dev openai gpt-4o-2024-11-20
    ("openai/gpt-4o-mini", "GPT-4o mini"),                # models.dev, OpenRouter; OpenAI writes 'GPT-4o mini'
    ("moonshotai/kimi-k2.6", "Kimi K2.6"),                # Together's pricing page, the one source listing it
    ("z-ai/glm-5.2", "GLM-5.2"),                          # the same
    ("openai/gpt-oss-20b", "GPT OSS 20B"),                # Groq's and Together's pricing pages
])
def test_demo_pinned_names(demo_db, model_id, name):
    con, _ = demo_db
    assert con.execute("SELECT name FROM models WHERE model_id = ?", [model_id]).fetchone() == (name,)


def test_demo_site_index_lists_display_names(demo_db):
    con, site = demo_db
    index = (site / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<a href="models/[^"]+\.html">([^<]+)</a>', index)
    models = dict(con.execute("SELECT model_id, name FROM models").fetchall())
    assert shown and set(shown) <= set(models.values()), sorted(set(shown) - set(models.values()))
    for raw in ("moonshotai/kimi-k2.6", "z-ai/glm-5.2", "openai/gpt-oss-20b", "Claude Sonnet 4.5 (latest)"):
        assert raw not in shown
    assert "Claude Sonnet 4.5" in shown and "GPT-4o (2024-11-20)" in shown


def test_august_names_are_the_sources_names_without_annotations(august):
    seen = check_names(august)
    # on 2026-08, before this rule, 567 of 1,644 names were raw ids and 28 ended '(latest)' or
    # '(free)'; the sources annotate hundreds (models.dev's kilo entries all carry 'Vendor: ')
    assert seen["annotated"] > 300 and seen["unnamed"] > 500, seen


@pytest.mark.parametrize("model_id, name", [
    ("anthropic/claude-sonnet-4.5", "Claude Sonnet 4.5"),
    ("mistralai/codestral-latest", "Codestral"),        # models.dev mistral 'Codestral (latest)'
    ("google/gemma-3", "Gemma 3"),                      # only 'Gemma 3 (free)' routes name it
    ("openai/gpt-4o-2024-08-06", "GPT-4o (2024-08-06)"),
    ("deepseek/deepseek-v3.2", "DeepSeek V3.2"),
    ("anthropic/claude-mythos-5", "claude-mythos-5"),   # LiteLLM only, which states no names
])
def test_august_pinned_names(august, model_id, name):
    assert august.execute("SELECT name FROM models WHERE model_id = ?", [model_id]).fetchone() == (name,)
