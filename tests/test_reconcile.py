"""Reconciliation: precedence, tolerance, ambiguity, SCD2 price history, lineage; then the real
snapshots (2026-01, then 2026-08, into one warehouse) and the analyst queries in docs/.

Hand-landed documents carry real facts from the recorded snapshots (values and ids as the
sources state them there).
"""
import hashlib
import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml

from pipeline import identity
from pipeline.observation import Document, Extraction
from pipeline.reconcile import Tolerance, equivalent, precedence, tolerance_rows, valid_from
from warehouse.db import apply_schema
from warehouse.load import load_snapshot_files
from warehouse.reconcile import reconcile, resolution_report, sql_steps

PROJECT_ROOT = Path(__file__).resolve().parent.parent
JAN = datetime(2026, 1, 17, tzinfo=timezone.utc)
AUG = datetime(2026, 8, 22, tzinfo=timezone.utc)
OR_URL = "https://openrouter.ai/api/v1/models"
LITELLM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
MODELSDEV_URL = "https://models.dev/api.json"


def land(con, source, url, fetched_at, facts, as_of=None, run_id=1, data_date=None):
    """Land one document of facts, (model_id, provider_id, field, value), as the loader would
    (`data_date`: the replayed snapshot's date)."""
    body = json.dumps([[str(x) for x in f] for f in facts]).encode()
    doc = Document(source=source, url=url, fetched_at=fetched_at, as_of=as_of, sha256=hashlib.sha256(body).hexdigest(),
                   body=body)
    extraction = Extraction(doc)
    for fact in facts:
        extraction.add(*fact)
    assert not extraction.rejections, extraction.rejections
    con.execute("INSERT INTO raw_documents (source, url, sha256, run_id, fetched_at, last_run_id, last_fetched_at, "
                "http_status, content_type, as_of, parsed, parse_error, body, effective_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 200, 'application/json', ?, true, NULL, ?, ?)",
                [source, url, doc.sha256, run_id, fetched_at, run_id, fetched_at, as_of, body,
                 valid_from(as_of, fetched_at, data_date)])
    for o in extraction.observations:
        v = o.value
        typed = [v if isinstance(v, Decimal) else None, v if isinstance(v, int) and not isinstance(v, bool) else None,
                 v if isinstance(v, bool) else None, v if isinstance(v, date) else None,
                 v if isinstance(v, str) else None, list(v) if isinstance(v, tuple) else None]
        con.execute("INSERT INTO observations (source, url, document_sha256, fetched_at, as_of, model_id, provider_id, "
                    "field, value_decimal, value_int, value_bool, value_date, value_text, value_list, unit, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [o.source, o.url, o.document_sha256, o.fetched_at, o.as_of, o.model_id, o.provider_id, o.field,
                     *typed, o.unit, o.note])


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


# OpenRouter's entry for Mistral Large 2407 and LiteLLM's entries around it, as 2026-01 and 2026-08 state them.
OPENROUTER_LARGE = [("mistralai/mistral-large-2407", "openrouter", "input_usd_per_mtok", "2"),
                    ("mistralai/mistral-large-2407", "openrouter", "output_usd_per_mtok", "6"),
                    ("mistralai/mistral-large-2407", "openrouter", "context_window", 131072),
                    ("mistralai/mistral-large-2407", "openrouter", "supports_function_calling", True)]
LITELLM_JAN = [("azure_ai/mistral-large-2407", "azure_ai", "input_usd_per_mtok", "2"),
               ("azure_ai/mistral-large-2407", "azure_ai", "output_usd_per_mtok", "6"),
               ("azure_ai/mistral-large-2407", "azure_ai", "context_window", 128000),
               ("azure_ai/mistral-large-2407", "azure_ai", "supports_function_calling", True),
               ("mistral/magistral-small-latest", "mistral", "input_usd_per_mtok", "0.5"),
               ("mistral/magistral-small-latest", "mistral", "output_usd_per_mtok", "1.5"),
               ("mistral/codestral-2405", "mistral", "input_usd_per_mtok", "1"),
               ("mistral/codestral-2405", "mistral", "output_usd_per_mtok", "3")]
LITELLM_AUG = [f for f in LITELLM_JAN if f[0] != "mistral/codestral-2405" and f[0] != "mistral/magistral-small-latest"] + [
    ("mistral/magistral-small-latest", "mistral", "input_usd_per_mtok", "0.15"),
    ("mistral/magistral-small-latest", "mistral", "output_usd_per_mtok", "0.6")]


def history(con, route):
    return rows(con, "SELECT input_usd_per_mtok, output_usd_per_mtok, valid_from, valid_to FROM price_history "
                     "WHERE route = ? ORDER BY valid_from", [route])


@pytest.mark.slow  # over 0.8 s (--durations)
def test_price_history_change_no_change_disappearance_reappearance(con):
    land(con, "openrouter", OR_URL, JAN, OPENROUTER_LARGE, as_of="2026-01-16T17:46:45+08:00")
    land(con, "litellm", LITELLM_URL, JAN, LITELLM_JAN, as_of="litellm-1.80.0")
    first = reconcile(con, 1, JAN)
    assert first.price_changes == [] and first.retired_offerings == 0
    assert len(history(con, "mistral/codestral-2405")) == 1

    land(con, "litellm", LITELLM_URL, AUG, LITELLM_AUG, as_of="litellm-1.109.1", run_id=2)
    second = reconcile(con, 2, AUG)
    # unchanged: still one open row
    assert history(con, "azure_ai/mistral-large-2407") == [(Decimal("2"), Decimal("6"), JAN, None)]
    # changed: the old row closed when the new one opened (LiteLLM's as-of is no timestamp: its fetch time)
    assert history(con, "mistral/magistral-small-latest") == [
        (Decimal("0.5"), Decimal("1.5"), JAN, AUG), (Decimal("0.15"), Decimal("0.6"), AUG, None)]
    assert [(c.route, c.old_input, c.new_input) for c in second.price_changes] == [
        ("mistral/magistral-small-latest", Decimal("0.5"), Decimal("0.15"))]
    # disappeared: closed, and the offering kept inactive, never deleted
    assert history(con, "mistral/codestral-2405") == [(Decimal("1"), Decimal("3"), JAN, AUG)]
    assert rows(con, "SELECT active, first_seen, last_seen FROM offerings WHERE route = 'mistral/codestral-2405'") == [
        (False, JAN, JAN)]
    assert second.retired_offerings == 1

    before = rows(con, "SELECT * FROM price_history ORDER BY ALL")
    again = reconcile(con, 3, AUG)
    assert rows(con, "SELECT * FROM price_history ORDER BY ALL") == before
    assert again.price_changes == [] and again.retired_offerings == 0

    later = datetime(2026, 9, 1, tzinfo=timezone.utc)
    land(con, "litellm", LITELLM_URL, later, LITELLM_AUG + [f for f in LITELLM_JAN if f[0] == "mistral/codestral-2405"],
         as_of="litellm-1.110.0", run_id=4)
    reconcile(con, 4, later)
    assert history(con, "mistral/codestral-2405") == [
        (Decimal("1"), Decimal("3"), JAN, AUG), (Decimal("1"), Decimal("3"), later, None)]
    assert rows(con, "SELECT active, first_seen, last_seen FROM offerings WHERE route = 'mistral/codestral-2405'") == [
        (True, JAN, later)]


def test_valid_from_is_the_as_of_timestamp_else_the_fetch_time(con):
    assert valid_from("2026-07-02T00:40:28+08:00", AUG) == datetime(2026, 7, 1, 16, 40, 28, tzinfo=timezone.utc)
    assert valid_from("litellm-1.109.1", AUG) == AUG
    # in a replay, a label takes the snapshot's date; a timestamp as-of keeps its own
    snapshot_day = datetime(2026, 8, 21, 20, 2, 24, tzinfo=timezone.utc)
    assert valid_from("litellm-1.109.1", AUG, snapshot_day) == snapshot_day
    assert valid_from("2026-07-02T00:40:28+08:00", AUG, snapshot_day) == datetime(2026, 7, 1, 16, 40, 28, tzinfo=timezone.utc)
    assert valid_from(None, AUG) == AUG
    land(con, "openrouter", OR_URL, AUG, OPENROUTER_LARGE, as_of="2026-07-02T00:40:28+08:00")
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT valid_from FROM price_history") == [(datetime(2026, 7, 1, 16, 40, 28, tzinfo=timezone.utc),)]


def test_offerings_keep_variants_and_regions_apart(con):
    land(con, "openrouter", OR_URL, AUG, [
        ("openai/gpt-oss-120b", "openrouter", "input_usd_per_mtok", "0.03"),
        ("openai/gpt-oss-120b:free", "openrouter", "input_usd_per_mtok", "0")])
    land(con, "litellm", LITELLM_URL, AUG, [
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock_converse", "input_usd_per_mtok", "1"),
        ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock_converse", "input_usd_per_mtok", "1.1"),
        ("claude-haiku-4-5", "anthropic", "input_usd_per_mtok", "1")])
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT model_id, route, variant FROM offerings ORDER BY route") == [
        ("anthropic/claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0", None),
        ("anthropic/claude-haiku-4-5", "claude-haiku-4-5", None),
        ("openai/gpt-oss-120b", "openai/gpt-oss-120b", None),
        ("openai/gpt-oss-120b", "openai/gpt-oss-120b:free", "free"),
        ("anthropic/claude-haiku-4-5", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us")]


def test_the_vendors_word_beats_an_aggregators_and_tolerance_keeps_spellings_from_conflicting(con):
    land(con, "openrouter", OR_URL, AUG, [
        ("mistralai/mistral-small-2603", "openrouter", "context_window", 262144),
        ("mistralai/mistral-small-2603", "openrouter", "hugging_face_id", "mistralai/Mistral-Small-4-119B-2603")])
    land(con, "modelsdev", MODELSDEV_URL, AUG, [("mistral-small-2603", "mistral", "context_window", 256000),
                                                ("mistral-small-2603", "mistral", "name", "Mistral Small 4")])
    land(con, "huggingface", "https://huggingface.co/mistralai/Mistral-Small-4-119B-2603/raw/main/config.json", AUG, [
        ("mistralai/Mistral-Small-4-119B-2603", None, "native_context_window", 1048576),
        ("mistralai/Mistral-Small-4-119B-2603", None, "params_total", 119_000_000_000),
        ("mistralai/Mistral-Small-4-119B-2603", None, "architecture", "moe"),
        ("mistralai/Mistral-Small-4-119B-2603", None, "license", "Apache-2.0")])
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT model_id, name, context_window, params_total, architecture, license FROM models") == [
        ("mistralai/mistral-small-2603", "Mistral Small 4", 256000, 119_000_000_000, "moe", "Apache-2.0")]
    (candidates, chosen, source, reason), = rows(
        con, "SELECT candidates, chosen, chosen_source, reason FROM conflicts WHERE field = 'context_window'")
    assert (chosen, source) == ("256000", "modelsdev")
    assert {c["value"] for c in candidates} == {"256000", "262144", "1048576"}
    assert "1 of 3" in reason  # OpenRouter's 262144 is 256K in powers of two: the same limit


@pytest.mark.parametrize("kind, a, b, same", [
    ("tokens", 128000, 131072, True), ("tokens", 256000, 262144, True), ("tokens", 1000000, 1048576, True),
    ("tokens", 200000, 204800, True), ("tokens", 8192, 8000, True), ("tokens", 128000, 200000, False),
    ("tokens", 32768, 131072, False), ("usd_per_mtok", "0.196", "0.1966", True),
    ("usd_per_mtok", "0.15", "0.16", False), ("usd_per_mtok", "0", "0", True), ("parameters", 119e9, 120e9, True),
    ("month", "2024-08", "2024-08-31", True), ("month", "2024-08", "2024-09", False),
    ("text", "Apache-2.0", " apache-2.0", True), ("exact", True, False, False),
])
def test_equivalent_in_python_and_in_sql(con, kind, a, b, same):
    assert equivalent(kind, a, b) is same
    con.register("_tolerance", pa.Table.from_pylist(tolerance_rows()))
    con.register("_plausibility", pa.Table.from_pylist([{"rule": "output_above_context"}]))
    con.execute(next(sql for name, sql in sql_steps() if name == "stg_macros.sql"))
    t = precedence().tolerance.get(kind, Tolerance())
    num = lambda x: float(x) if kind in ("tokens", "usd_per_mtok", "parameters") else None  # noqa: E731
    txt = lambda x: str(x).strip().lower() if kind == "text" else str(x)  # noqa: E731
    assert con.execute("SELECT _equivalent(?, ?, ?, ?, ?, ?, ?, ?)",
                       [kind, num(a), num(b), txt(a), txt(b), float(t.relative), float(t.absolute),
                        t.binary_prefix]).fetchone()[0] is same


def test_a_providers_own_listing_beats_a_price_feed_and_disagreements_stay_visible(con):
    genai = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
    land(con, "modelsdev", MODELSDEV_URL, AUG, [("deepseek-chat", "deepseek", "input_usd_per_mtok", "0.14"),
                                                ("deepseek-chat", "deepseek", "output_usd_per_mtok", "0.28")])
    land(con, "litellm", LITELLM_URL, AUG, [("deepseek-chat", "deepseek", "input_usd_per_mtok", "0.28"),
                                            ("deepseek-chat", "deepseek", "output_usd_per_mtok", "0.42")])
    land(con, "genai_prices", genai, AUG, [("deepseek-chat", "deepseek", "input_usd_per_mtok", "0.135"),
                                           ("deepseek-chat", "deepseek", "output_usd_per_mtok", "0.55")])
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT source, preferred FROM offerings ORDER BY source") == [
        ("genai_prices", False), ("litellm", False), ("modelsdev", True)]
    (entity, candidates, chosen, source, reason), = rows(
        con, "SELECT entity, candidates, chosen, chosen_source, reason FROM conflicts WHERE field = 'output_usd_per_mtok'")
    assert (entity, chosen, source) == ("deepseek/deepseek-chat@deepseek", "0.28", "modelsdev")
    assert [(c["source"], c["value"]) for c in candidates] == [
        ("modelsdev", "0.28"), ("litellm", "0.42"), ("genai_prices", "0.55")]
    assert reason.startswith("modelsdev is preferred by the offering order pricing_pages > modelsdev > litellm")


def test_capabilities_yes_no_unknown_with_every_candidate(con):
    land(con, "openrouter", OR_URL, AUG, OPENROUTER_LARGE + [("mistralai/mistral-large-2407", "openrouter", "supports_vision", False)])
    land(con, "litellm", LITELLM_URL, AUG, LITELLM_AUG)
    reconcile(con, 1, AUG)
    caps = {c: (v, s, cands) for c, v, s, cands in rows(
        con, "SELECT capability, value, source, candidates FROM model_capabilities WHERE model_id = 'mistralai/mistral-large-2407'")}
    assert caps["function_calling"][:2] == ("yes", "openrouter")
    assert {(c["source"], c["source_id"], c["value"]) for c in caps["function_calling"][2]} == {
        ("openrouter", "mistralai/mistral-large-2407", True), ("litellm", "azure_ai/mistral-large-2407", True)}
    assert caps["vision"][:2] == ("no", "openrouter")          # a source said no
    assert caps["code_execution"] == ("unknown", None, [])     # nobody said anything: unknown, not no
    assert len(caps) == 7


def test_an_ambiguous_id_is_recorded_and_an_unresolved_one_listed(con):
    # models.dev links 'mistral-large-latest' to the Mistral Large 3 weights, which OpenRouter calls
    # 'mistral-large-2512'; by its name it is OpenRouter's older 'mistral-large'. OpenRouter lists a
    # second snapshot ('-2411'), so the undated name is a moving alias, not the 2512 model.
    repo = "mistralai/Mistral-Large-3-675B-Instruct-2512"
    land(con, "openrouter", OR_URL, AUG, [
        ("mistralai/mistral-large", "openrouter", "input_usd_per_mtok", "2"),
        ("mistralai/mistral-large-2411", "openrouter", "input_usd_per_mtok", "2"),
        ("mistralai/mistral-large-2512", "openrouter", "input_usd_per_mtok", "0.5"),
        ("mistralai/mistral-large-2512", "openrouter", "hugging_face_id", repo)])
    land(con, "modelsdev", "https://models.dev/models.json", AUG, [
        ("mistral/mistral-large-latest", None, "context_window", 262144),
        ("mistral/mistral-large-latest", None, "hugging_face_id", repo)])
    land(con, "modelsdev", MODELSDEV_URL, AUG, [
        ("Qwen3.5-27B-BlueStar-Derestricted", "nano-gpt", "input_usd_per_mtok", "0.3")])
    reconcile(con, 1, AUG)
    aliases = {r[0]: r[1:] for r in rows(con, "SELECT source_id, model_id, method, candidates FROM model_aliases")}
    assert aliases["mistral/mistral-large-latest"] == (
        None, "ambiguous", ["mistralai/mistral-large", "mistralai/mistral-large-2512"])
    assert aliases["Qwen3.5-27B-BlueStar-Derestricted"] == (None, "unresolved", None)
    (entity, category, candidates), = rows(con, "SELECT entity, category, candidates FROM conflicts WHERE field = 'model_id'")
    assert (entity, category) == ("modelsdev:mistral/mistral-large-latest", "ambiguous_id")
    assert sorted(c["value"] for c in candidates) == ["mistralai/mistral-large", "mistralai/mistral-large-2512"]
    # neither id lends its facts to a model it may not be
    assert rows(con, "SELECT count(*) FROM offerings WHERE provider_id = 'nano-gpt'") == [(0,)]
    assert rows(con, "SELECT count(*) FROM models WHERE context_window IS NOT NULL") == [(0,)]


def test_implausible_values_are_left_out_and_kept_in_conflicts(con):
    land(con, "modelsdev", MODELSDEV_URL, AUG, [
        ("openai/gpt-3.5-turbo", "cloudflare-ai-gateway", "input_usd_per_mtok", "0.5"),
        ("openai/gpt-3.5-turbo", "cloudflare-ai-gateway", "output_usd_per_mtok", "1.5"),
        ("openai/gpt-3.5-turbo", "cloudflare-ai-gateway", "cache_read_usd_per_mtok", "1.25")])
    reconcile(con, 1, AUG)
    assert rows(con, "SELECT input_usd_per_mtok, cache_read_usd_per_mtok FROM offerings") == [(Decimal("0.5"), None)]
    (reason, candidates), = rows(con, "SELECT reason, candidates FROM conflicts WHERE category = 'implausible'")
    assert reason == "implausible: cache read price 1.25 above input price 0.5; left out"
    assert [(c["source"], c["value"], c["url"]) for c in candidates] == [("modelsdev", "1.25", MODELSDEV_URL)], \
        "the value left out is cited with its document"


def test_every_conflict_candidate_on_2026_08_cites_a_current_document(august):
    uncited = rows(august, """
        SELECT c.entity, c.field, x.source, x.source_id FROM conflicts c, unnest(c.candidates) AS u(x)
        WHERE x.url IS NULL OR x.as_of IS NULL
           OR NOT EXISTS (SELECT 1 FROM current_documents d WHERE d.source = x.source AND d.url = x.url)
        LIMIT 5""")
    assert rows(august, "SELECT count(DISTINCT category) FROM conflicts") == [(4,)], \
        "disagreements, implausible values, ambiguous ids and moving aliases are all checked"
    assert uncited == []


def test_every_published_value_traces_to_its_observations(con):
    land(con, "openrouter", OR_URL, AUG, OPENROUTER_LARGE)
    land(con, "litellm", LITELLM_URL, AUG, LITELLM_AUG)
    reconcile(con, 1, AUG)
    untraced = rows(con, """
        SELECT o.model_id, o.route, f.field FROM offerings o,
             (VALUES ('input_usd_per_mtok'), ('output_usd_per_mtok'), ('context_window')) f(field)
        WHERE CASE f.field WHEN 'input_usd_per_mtok' THEN o.input_usd_per_mtok IS NOT NULL
                           WHEN 'output_usd_per_mtok' THEN o.output_usd_per_mtok IS NOT NULL
                           ELSE o.context_window IS NOT NULL END
          AND NOT EXISTS (SELECT 1 FROM lineage l WHERE l.entity_type = 'offering' AND l.chosen
                          AND l.entity = o.model_id || '@' || o.provider_id AND l.route = o.route AND l.field = f.field)""")
    assert untraced == []
    assert rows(con, """SELECT count(*) FROM lineage l ANTI JOIN raw_documents d
                        ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256""") == [(0,)]
    # the published 131072 is OpenRouter's; LiteLLM's 128000 (at Azure) states the same limit
    assert rows(con, "SELECT context_window FROM models WHERE model_id = 'mistralai/mistral-large-2407'") == [(131072,)]
    assert rows(con, "SELECT source, value, chosen FROM lineage WHERE entity = 'mistralai/mistral-large-2407' "
                     "AND field = 'context_window' ORDER BY source") == [
        ("litellm", "128000", True), ("openrouter", "131072", True)]


def test_resolution_report_counts_ids_per_source(con):
    land(con, "openrouter", OR_URL, AUG, OPENROUTER_LARGE + [("openrouter/auto", "openrouter", "input_usd_per_mtok", "0")])
    land(con, "litellm", LITELLM_URL, AUG, LITELLM_AUG + [
        ("together-ai-21.1b-41b", "together_ai", "input_usd_per_mtok", "0.8"),
        ("together-ai-21.1b-41b", "together_ai", "output_usd_per_mtok", "0.8")])
    reconcile(con, 1, AUG)
    report = {r.source: r for r in resolution_report(con)}
    # a router and a price bucket are not models: unresolved, and not counted as priced chat ids
    assert tuple(report["openrouter"])[1:] == (1, 2, 1, 1)
    assert tuple(report["litellm"])[1:] == (2, 3, 2, 2)


# --- whole snapshots, through the loader: the demo snapshot (in the repo) and the shared ones ---



def load_snapshot(con: duckdb.DuckDBPyConnection, folder: Path, fetched_at: datetime, run_id: int) -> None:
    load_snapshot_files(con, run_id, folder, fetched_at)


@pytest.fixture(scope="module")
def demo():
    """The demo snapshot's earlier copy, then the demo snapshot, reconciled into one warehouse."""
    con = duckdb.connect()
    apply_schema(con)
    load_snapshot(con, PROJECT_ROOT / "snapshots" / "demo-earlier", JAN, 1)
    reconcile(con, 1, JAN)
    load_snapshot(con, PROJECT_ROOT / "snapshots" / "demo", AUG, 2)
    reconcile(con, 2, AUG)
    yield con
    con.close()


SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)


@pytest.mark.slow  # over 0.8 s (--durations)
def test_every_analyst_query_in_the_docs_runs_and_answers(demo):
    blocks = SQL_BLOCK.findall((PROJECT_ROOT / "docs" / "analyst-queries.md").read_text())
    assert len(blocks) >= 10
    for sql in blocks:
        assert demo.execute(sql).fetchall(), f"no rows from:\n{sql}"


class Shared:
    """The shared snapshots reconciled into one warehouse: 2026-01, then 2026-08, then 2026-08 again."""

    def __init__(self, folder: Path):
        self.con = duckdb.connect()
        apply_schema(self.con)
        load_snapshot(self.con, folder / "2026-01", JAN, 1)
        self.january = reconcile(self.con, 1, JAN)
        self.january_prices = {(m, p, s, r): (i, o) for m, p, s, r, i, o in rows(self.con, """
            SELECT model_id, provider_id, source, route, input_usd_per_mtok, output_usd_per_mtok
            FROM offerings WHERE active""")}
        load_snapshot(self.con, folder / "2026-08", AUG, 2)
        self.august = reconcile(self.con, 2, AUG)
        self.history = rows(self.con, "SELECT * FROM price_history ORDER BY ALL")
        self.component_history = rows(self.con, "SELECT * FROM offering_prices ORDER BY ALL")
        self.again = reconcile(self.con, 3, AUG)


@pytest.fixture(scope="module")
def shared(shared_snapshots):
    warehouse = Shared(shared_snapshots)
    yield warehouse
    warehouse.con.close()


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_mistral_small_4_is_one_model_offered_by_mistral_openrouter_and_nvidia(shared):
    ids = ["mistral-small-2603", "mistralai/mistral-small-2603", "mistral/mistral-small-2603",
           "mistralai/mistral-small-4-119b-2603"]
    resolved = rows(shared.con, f"SELECT DISTINCT model_id FROM model_aliases WHERE source_id IN ({', '.join('?' * len(ids))})", ids)
    assert resolved == [("mistralai/mistral-small-2603",)]
    providers = {p for p, in rows(shared.con, "SELECT DISTINCT provider_id FROM offerings "
                                               "WHERE model_id = 'mistralai/mistral-small-2603' AND active")}
    assert {"mistral", "openrouter", "nvidia"} <= providers
    assert rows(shared.con, "SELECT name, vendor FROM models WHERE model_id = 'mistralai/mistral-small-2603'") == [
        ("Mistral Small 4", "mistralai")]


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_mistral_large_2407_has_function_calling(shared):
    (value, candidates), = rows(shared.con, "SELECT value, candidates FROM model_capabilities "
                                            "WHERE model_id = 'mistralai/mistral-large-2407' AND capability = 'function_calling'")
    assert value == "yes"
    assert {"litellm", "openrouter"} <= {c["source"] for c in candidates if c["value"]}


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_price_history_between_the_snapshots(shared):
    history = {}
    for model_id, provider_id, source, route, inp, out, start, end in shared.history:
        history.setdefault((model_id, provider_id, source, route), []).append((inp, out, start, end))
    for periods in history.values():
        periods.sort(key=lambda p: p[2])
    august = {(m, p, s, r): (i, o) for m, p, s, r, i, o in rows(shared.con, """
        SELECT model_id, provider_id, source, route, input_usd_per_mtok, output_usd_per_mtok
        FROM offerings WHERE active""")}
    priced = lambda price: price != (None, None)  # noqa: E731
    both = [k for k in shared.january_prices if k in august and priced(shared.january_prices[k]) and priced(august[k])]
    unchanged = [k for k in both if august[k] == shared.january_prices[k]]
    changed = [k for k in both if august[k] != shared.january_prices[k]]
    assert len(unchanged) > 1000 and len(changed) > 100
    for k in unchanged:  # one row, still open
        assert [(i, o, end) for i, o, _, end in history[k]] == [(*august[k], None)], k
    for k in changed:  # the January row closed when the August one opened
        (old_in, old_out, _, closed), (new_in, new_out, opened, end) = history[k]
        assert ((old_in, old_out), (new_in, new_out)) == (shared.january_prices[k], august[k]), k
        assert closed == opened and end is None, k
    assert len(shared.august.price_changes) == len(changed)
    # reconciling 2026-08 again adds nothing
    assert rows(shared.con, "SELECT * FROM price_history ORDER BY ALL") == shared.history
    assert (shared.again.price_changes, shared.again.retired_offerings, shared.again.new_models) == ([], 0, [])


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_most_priced_chat_model_ids_resolve(shared):
    report = resolution_report(shared.con)
    resolved, total = sum(r.priced_chat_resolved for r in report), sum(r.priced_chat_total for r in report)
    print(f"\npriced chat-model ids resolved: {resolved}/{total} = {resolved / total:.1%}; reconcile of 2026-08: "
          f"{shared.again.seconds:.1f}s ({', '.join(f'{k} {v:.2f}s' for k, v in shared.again.timings.items())})")
    for r in report:
        print(f"  {r.source}: {r.resolved}/{r.total} ids, {r.priced_chat_resolved}/{r.priced_chat_total} priced chat")
    assert resolved / total >= 0.97
    # unresolved ids are listed, never dropped: every id the loader landed has a row in model_aliases
    landed = shared.con.execute("SELECT count(*) FROM (SELECT DISTINCT source, provider_id, model_id "
                                "FROM current_observations UNION SELECT DISTINCT source, NULL, model_id "
                                "FROM current_benchmark_observations)").fetchone()[0]
    assert shared.con.execute("SELECT count(*) FROM model_aliases").fetchone()[0] == landed
    assert shared.con.execute("SELECT count(*) FROM model_aliases WHERE model_id IS NULL").fetchone()[0] > 0
    assert {r.source for r in report} == {"aider", "genai_prices", "litellm", "lmarena", "modelsdev", "openrouter"}
    assert shared.again.seconds < 60  # a few seconds on a laptop; generous for a loaded CI machine


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_offering_prices_keep_their_history_across_snapshots(shared):
    """2026-01 then 2026-08: changed components close their row and open one; a rerun adds nothing."""
    assert rows(shared.con, "SELECT * FROM offering_prices ORDER BY ALL") == shared.component_history
    (dupes,) = rows(shared.con, """SELECT count(*) FROM (SELECT 1 FROM offering_prices WHERE valid_to IS NULL
        GROUP BY model_id, provider_id, source, route, component, service_tier, threshold_tokens, hours, starts_on,
                 ends_on, in_force HAVING count(*) > 1)""")
    assert dupes == (0,)
    # Gemini 2.5 Pro at Google: its >200k tier for input, output and cache reads, at several service tiers
    changed = rows(shared.con, """SELECT count(*) FROM offering_prices o JOIN offering_prices c
        USING (model_id, provider_id, source, route, component, service_tier, threshold_tokens)
        WHERE o.valid_to IS NULL AND c.valid_to = o.valid_from AND c.usd_per_mtok <> o.usd_per_mtok""")[0][0]
    assert changed > 10
    assert rows(shared.con, """SELECT count(*) FROM offering_prices WHERE valid_to IS NULL AND preferred
        AND model_id = 'google/gemini-2.5-pro' AND provider_id = 'google' AND threshold_tokens = 200000""")[0][0] >= 6


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_price_rows_close_at_the_datas_date_and_a_retired_routes_at_its_retirement(shared):
    """A key no longer stated closes when its source last said otherwise (the documents' effective_at,
    never the run's clock); a retired route's rows close at its retirement date (at their own
    valid_from when that is later), so none of them is open."""
    (latest,), = rows(shared.con, "SELECT max(effective_at) FROM raw_documents")
    assert latest < AUG  # the run's clock is after every document's date
    assert rows(shared.con, "SELECT count(*) FROM offering_prices WHERE valid_to > ?", [latest]) == [(0,)]
    closed = rows(shared.con, """
        SELECT count(*) FILTER (WHERE p.valid_to IS NULL),
               count(*) FILTER (WHERE p.valid_to = greatest(CAST(o.retired_on AS TIMESTAMP) AT TIME ZONE 'UTC',
                                                           p.valid_from)),
               count(*)
        FROM offering_prices p JOIN offerings o USING (model_id, provider_id, source, route)
        WHERE o.status = 'retired' AND p.valid_from <= coalesce(p.valid_to, p.valid_from)
          AND NOT EXISTS (SELECT 1 FROM offering_prices q WHERE q.model_id = p.model_id AND q.route = p.route
                            AND q.source = p.source AND q.provider_id = p.provider_id AND q.component = p.component
                            AND q.service_tier = p.service_tier AND q.threshold_tokens = p.threshold_tokens
                            AND q.valid_from > p.valid_from)""")[0]
    assert closed[0] == 0 and closed[1] == closed[2] > 100  # every last row of a retired route


@pytest.mark.slow  # builds a 2026-08 warehouse
def test_every_active_route_is_priced_the_same_by_the_engine_and_the_pair_sql(shared):
    """Every active preferred route of 2026-08 (after 2026-01): the pair table's headline SQL
    (comparison_route_prices) and the cost engine (records.cost.price, on the route's preferred rows
    in offering_prices, the rows every profile cost reads) price the same routes, at the same month
    of the chat profile's traffic, a request below every tier. Caught: two routes of one source for
    one model and provider (Moonshot's kimi-k2-thinking and -turbo) priced from different listings;
    open price rows keeping a variant the route no longer has; 61 routes whose preferred listing
    states no base price, priced by the profiles from another listing and left out of the headline."""
    from records.cost import price, profiles
    from warehouse.costs import routes_of

    chat = next(p for p in profiles().profiles if p.name == "chat").usage
    sql = {(m, p, v): usd for m, p, v, usd in rows(shared.con, """
        SELECT model_id, provider_id, variant, monthly FROM comparison_route_prices(?, ?, 0.5)""",
        [chat.input_tokens * chat.requests, chat.output_tokens * chat.requests])}
    models = sorted({m for m, in rows(shared.con, "SELECT DISTINCT model_id FROM offerings WHERE active")})
    engine = {}
    for model, routes in routes_of(shared.con, models).items():
        for f in routes:
            if not f.free_tier:
                engine[(model, f.provider_id, f.variant)] = price(f.rows, chat).usd
    assert len(sql) > 5_000
    assert {k: usd for k, usd in engine.items() if usd is not None} == sql

@pytest.mark.slow  # builds a 2026-08 warehouse
def test_no_two_canonical_ids_look_alike_unless_reviewed_as_different_models(shared):
    """One model, one id: models whose ids differ only by '-instruct', '-latest', an API version or
    a date's spelling are merged (identity rules, aliases.yaml) or reviewed in
    tests/lookalike_allowlist.yaml (different models, or undecided from the ids), each with its
    reason. A new look-alike fails here."""
    allowed = yaml.safe_load((PROJECT_ROOT / "tests" / "lookalike_allowlist.yaml").read_text())
    assert all(entry["reason"].strip() and entry["kind"] in ("different", "undecided") for entry in allowed)
    reviewed = {}
    for entry in allowed:  # an entry reviews the look-alike key its ids share
        keys = {identity.lookalike_key(m) for m in entry["models"]}
        assert len(keys) == 1 and len(entry["models"]) > 1, entry
        reviewed[keys.pop()] = entry["models"]
    models = [r[0] for r in shared.con.execute("SELECT model_id FROM models").fetchall()]
    groups = {identity.lookalike_key(g[0]): g for g in identity.lookalike_groups(models)}
    assert {k: groups[k] for k in groups.keys() - reviewed.keys()} == {}, "look-alike ids neither merged nor reviewed"
    assert reviewed.keys() - groups.keys() == set(), "reviewed look-alikes that no longer occur: drop them from the list"
    ids = set(models)  # merged spellings: one model each (a moving '-latest' alias, an '-instruct' in a dated name)
    for merged, kept in [("mistralai/ministral-14b-instruct-2512", "mistralai/ministral-14b-2512"),
                         ("moonshotai/kimi-k2-instruct", "moonshotai/kimi-k2"),
                         ("openai/gpt-oss-120b-1.0", "openai/gpt-oss-120b"),  # Bedrock's '-1:0' API version
                         ("anthropic/claude-3-5-sonnet-20241022-v2", "anthropic/claude-3-5-sonnet-20241022"),
                         ("anthropic/claude-3-7-sonnet-latest", "anthropic/claude-3-7-sonnet-20250219"),
                         ("anthropic/claude-3-sonnet-20240229", "anthropic/claude-3-sonnet"),
                         ("meta-llama/llama-3.3-70b", "meta-llama/llama-3.3-70b-instruct")]:
        assert (merged in ids) != (kept in ids), merged  # one model (an id kept from an earlier run may name it)
