"""Safety nets, each pinned by a case that goes red when the protection is removed."""
from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

import pytest

from scrapers.snapshot import Snapshot, SnapshotError
from tests.offering_edits import update_offerings

LITELLM = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"


# --- manifest path confinement (scrapers/snapshot.py) ---------------------------------------

def _snapshot(root: Path, file: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps({"label": "x", "sources": [{"url": LITELLM, "file": file}]}))
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file beside the snapshot folder `snap`, in a sibling whose name starts with `snap`."""
    (tmp_path / "snap-evil").mkdir()
    (tmp_path / "snap-evil" / "prices.json").write_text("{}")
    return tmp_path / "snap-evil" / "prices.json"


def test_a_manifest_file_inside_the_folder_is_served(tmp_path):
    root = _snapshot(tmp_path / "snap", "litellm/prices.json")
    (root / "litellm").mkdir()
    (root / "litellm" / "prices.json").write_text("{}")
    assert Snapshot(root).path(Snapshot(root).lookup(LITELLM)) == (root / "litellm" / "prices.json").resolve()


@pytest.mark.parametrize("how", ["sibling prefix", "absolute", "symlink", "symlinked folder", "dotdot"])
def test_a_manifest_file_outside_the_snapshot_folder_is_refused(tmp_path, outside, how):
    root = tmp_path / "snap"
    root.mkdir()
    if how == "sibling prefix":
        file = "../snap-evil/prices.json"  # resolves to a path whose text starts with the folder's
    elif how == "absolute":
        file = str(outside)
    elif how == "symlink":
        (root / "prices.json").symlink_to(outside)
        file = "prices.json"
    elif how == "symlinked folder":
        (root / "litellm").symlink_to(outside.parent, target_is_directory=True)
        file = "litellm/prices.json"
    else:
        file = "litellm/../../snap-evil/prices.json"
    _snapshot(root, file)
    with pytest.raises(SnapshotError, match="leaves the snapshot folder"):
        Snapshot(root)


# --- link safety in HTML and Markdown (records/render.py, layout.py, html.py) ----


def _html_inline(x) -> str:
    """An inline as the record and site templates write it."""
    from records.html import record_environment

    return str(record_environment().filters["inline"](x))

HOSTILE_HREFS = [
    "javascript:alert(1)//https://x", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
    "\x01javascript:alert(1)", "\x00https://x", "java\tscript:alert(1)", "\njavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "//evil.example/x", "https:alert(1)", "file:///etc/passwd",
    " https://x", "\u2028https://x",
]


@pytest.mark.parametrize("href", HOSTILE_HREFS)
def test_an_unsafe_url_is_shown_as_text_never_linked(href):
    from records.render import Link, _md_inline

    html, md = _html_inline(Link("the source", href)), _md_inline(Link("the source", href))
    assert "<a" not in html and html == "the source"
    assert "](" not in md and md == "the source"


@pytest.mark.parametrize("href, shown", [
    ("https://models.dev/api.json", "https://models.dev/api.json"),
    ("HTTPS://openrouter.ai/api/v1/models?x=1&y=2", "HTTPS://openrouter.ai/api/v1/models?x=1&amp;y=2"),
    ('https://x/"><script>alert(1)</script>', "https://x/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"),
])
def test_a_web_url_is_linked_and_cannot_break_out_of_its_attribute(href, shown):
    from records.render import Link, _md_inline

    assert _html_inline(Link("src", href)) == f'<a href="{shown}">src</a>'
    md = _md_inline(Link("src", href))
    assert md.startswith("[src](<") and md.endswith(">)") and ">" not in md[7:-2] and "<" not in md[7:-2]


# --- CSV formula neutralization (warehouse/export.py) ---------------------------------------

@pytest.mark.parametrize("name, exported", [
    ("=1+1", "'=1+1"), ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\r=cmd", "'\r=cmd"),
    ("-5", "-5"), ("+0.5", "+0.5"), ("Mistral", "Mistral"), ("a=b", "a=b"),
])
def test_csv_text_a_spreadsheet_would_run_gets_an_apostrophe_numbers_do_not(con, tmp_path, name, exported):
    from warehouse.export import export_tables

    con.execute("INSERT INTO providers (provider_id, name, url) VALUES ('p', ?, NULL)", [name])
    export_tables(con, tmp_path, "csv")
    with (tmp_path / "providers.csv").open(newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["name"] == exported


# --- the comparisons refresh is atomic (warehouse/comparisons.py) ---------------------------

def test_a_failure_after_pairs_are_written_leaves_comparisons_exactly_as_they_were(monkeypatch):
    import warehouse.comparisons as comparisons
    from tests.test_comparisons import DAY1, DAY2, QWEN, TRACKED, add_qwen72, demo_warehouse, rows

    con = demo_warehouse()
    con.execute("DELETE FROM comparisons; DELETE FROM comparison_models")
    add_qwen72(con)
    settings = comparisons.ComparisonSettings(model_ids=TRACKED)
    comparisons.refresh_comparisons(con, 1, DAY1, settings)
    before = rows(con), con.execute("SELECT * FROM comparison_models ORDER BY model_id").fetchall()
    update_offerings(con, "model_id = ?", [QWEN], input_usd_per_mtok=0.3)
    written = []

    def fail_after_writing(con, run_id, run_date):
        written.append(sum(1 for pair, row in rows(con).items() if row != before[0].get(pair)))
        raise RuntimeError("injected after the pairs were rewritten")

    monkeypatch.setattr(comparisons, "_move_last_reviewed", fail_after_writing)
    with pytest.raises(RuntimeError, match="injected"):
        comparisons.refresh_comparisons(con, 1, DAY2, settings)
    assert written == [3], "the failure came after the three pairs with the repriced model were rewritten"
    assert (rows(con), con.execute("SELECT * FROM comparison_models ORDER BY model_id").fetchall()) == before
    monkeypatch.undo()
    assert comparisons.refresh_comparisons(con, 1, DAY2, settings).pairs_regenerated == 3, "and a retry then succeeds"


# --- `versus status`: last success and age per source (flows/status.py) ---------------------

def test_status_gives_each_sources_last_success_and_its_age_from_the_runs(tmp_path):
    from flows.status import status_text
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    runs = [  # run, hours ago, {source: status}
        (1, 50, {"litellm": "ok", "openrouter": "ok", "huggingface": "ok"}),
        (2, 26, {"litellm": "failed", "openrouter": "ok", "huggingface": "ok"}),
        (3, 3, {"litellm": "failed", "openrouter": "ok", "huggingface": "skipped"}),
        (4, 1, {"openrouter": "failed"}),
    ]
    with connect(db) as con:
        for run_id, hours, sources in runs:
            con.execute("INSERT INTO runs (run_id, started_at, finished_at, snapshot, status) VALUES (?, ?, ?, NULL, 'partial')",
                        [run_id, now - timedelta(hours=hours), now - timedelta(hours=hours) + timedelta(minutes=5)])
            for source, status in sources.items():
                con.execute("INSERT INTO run_sources VALUES (?, ?, ?, 0, 0, 0, ?, NULL)",
                            [run_id, source, status, None if status == "ok" else f"{source} run {run_id}: {status}"])
        con.execute("INSERT INTO runs (run_id, started_at) VALUES (5, ?)", [now])  # a run still going: no outcomes
    table = status_text(db).split("\n\n")[0].splitlines()[1:]
    got = {cells[0]: cells for cells in (re.split(r"\s{2,}", line) for line in table[1:])}

    def at(hours):
        return (now - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")

    assert got["litellm"][:4] == ["litellm", "failed", at(50), "2.1 d"]
    assert got["litellm"][-1] == "litellm run 3: failed"
    assert got["openrouter"][:4] == ["openrouter", "failed", at(3), "3.0 h"]
    assert got["huggingface"][:4] == ["huggingface", "skipped", at(26), "26.0 h"]
    assert set(got) == {"litellm", "openrouter", "huggingface"}


# --- price history: when a vanished offering's row closes (warehouse/sql/reconcile) ---------

def test_a_vanished_offering_closes_when_its_source_last_said_otherwise_not_at_reconcile_time(con):
    from tests.test_reconcile import LITELLM_AUG, LITELLM_JAN, LITELLM_URL, OR_URL, OPENROUTER_LARGE, history, land
    from warehouse.reconcile import reconcile

    jan, aug = datetime(2026, 1, 17, tzinfo=timezone.utc), datetime(2026, 8, 22, tzinfo=timezone.utc)
    reconciled = aug + timedelta(days=5, hours=7)  # the reconcile runs days after the fetch
    land(con, "litellm", LITELLM_URL, jan, LITELLM_JAN, as_of="litellm-1.80.0")
    land(con, "openrouter", OR_URL, jan, OPENROUTER_LARGE, as_of="2026-01-16T17:46:45+08:00")
    reconcile(con, 1, jan + timedelta(hours=2))
    # August: LiteLLM no longer lists codestral-2405; OpenRouter no longer lists Mistral Large 2407.
    land(con, "litellm", LITELLM_URL, aug, LITELLM_AUG, as_of="litellm-1.109.1", run_id=2)
    land(con, "openrouter", OR_URL, aug, [("mistralai/mistral-small-2603", "openrouter", "input_usd_per_mtok", "0.15")],
         as_of="2026-08-21T09:00:00+00:00", run_id=2)
    reconcile(con, 2, reconciled)
    # LiteLLM's as-of is no timestamp: the rule takes the newest fetch of its current documents.
    assert history(con, "mistral/codestral-2405") == [(D("1"), D("3"), jan, aug)]
    # OpenRouter's as-of is a timestamp: the newest as-of of its current documents.
    (row,) = history(con, "mistralai/mistral-large-2407")
    assert row[3] == datetime(2026, 8, 21, 9, tzinfo=timezone.utc)


# --- genai-prices: the date the feed describes falls back to the fetch date -----------------

def test_genai_prices_reads_the_price_in_force_on_the_fetch_date_when_as_of_is_no_date():
    """claude-sonnet-5's recorded history: $2 input as the base, $3 from 2026-09-01."""
    import hashlib

    from pipeline.observation import Document
    from pipeline.sources.genai_prices import extract
    from tests.test_sources_common import URLS, FIXTURES

    body = (FIXTURES / "genai_prices.json").read_bytes()

    def input_price(fetched: datetime, as_of: str | None) -> D:
        doc = Document(source="genai_prices", url=URLS["genai_prices"][0], fetched_at=fetched, as_of=as_of,
                       sha256=hashlib.sha256(body).hexdigest(), body=body)
        (value,) = [o.value for o in extract(doc).observations if (o.model_id, o.provider_id, o.field)
                    == ("claude-sonnet-5", "anthropic", "input_usd_per_mtok")]
        return value

    before, after = datetime(2026, 8, 22, tzinfo=timezone.utc), datetime(2026, 9, 5, tzinfo=timezone.utc)
    assert input_price(before, "main") == D(2)
    assert input_price(after, "main") == D(3), "fetched after the change, with no as-of date: the new price"
    assert input_price(after, None) == D(3)
    assert input_price(after, "2026-08-21T15:02:24-05:00") == D(2), "a dated as-of wins over the fetch date"
    assert input_price(before, "2026-09-02") == D(3)


# --- the docs' analyst queries answer what they say (docs/analyst-queries.md) ---------------

from tests.test_reconcile import demo  # noqa: E402,F401  (module fixture: demo-earlier then demo, reconciled)

DEMO = Path(__file__).resolve().parent.parent / "snapshots"
SMALL4 = "mistralai/mistral-small-2603"


def _json(path: str):
    return json.loads((DEMO / path).read_text())


def _per_token(value) -> D:
    return (D(str(value)) * 1_000_000).normalize()


@pytest.fixture(scope="module")
def answers(demo):
    """Each analyst query's rows as dicts, keyed by a phrase from the query."""
    text = (DEMO.parent / "docs" / "analyst-queries.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)

    def run(phrase: str) -> list[dict]:
        (sql,) = [b for b in blocks if phrase in b]
        cur = demo.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    run.blocks = blocks
    return run


@pytest.mark.slow  # over 0.8 s (--durations)
def test_where_to_buy_lists_the_models_routes_cheapest_first_at_the_sources_prices(answers):
    api = _json("demo/modelsdev/api.json")
    rows = answers("ORDER BY 0.7 * input_usd_per_mtok")
    mistral = api["mistral"]["models"]["mistral-small-2603"]
    own = [r for r in rows if r["provider_name"] == "Mistral AI"]
    assert own == [{"provider_name": "Mistral AI", "route": "mistral-small-2603",
                    "input_usd_per_mtok": D(str(mistral["cost"]["input"])),
                    "output_usd_per_mtok": D(str(mistral["cost"]["output"])),
                    "context_window": mistral["limit"]["context"], "source": "modelsdev"}]
    blended = [D("0.7") * r["input_usd_per_mtok"] + D("0.3") * r["output_usd_per_mtok"] for r in rows]
    assert blended == sorted(blended) and len(rows) >= 5


def test_what_a_model_is_comes_from_its_sources(answers):
    mistral = _json("demo/modelsdev/api.json")["mistral"]["models"]["mistral-small-2603"]
    (row,) = answers("JOIN model_capability_matrix c USING (model_id)")
    assert (row["model_id"], row["name"], row["context_window"], row["open_weights"]) == (
        SMALL4, mistral["name"], mistral["limit"]["context"], mistral["open_weights"])


def test_the_sources_behind_a_value_state_what_their_documents_say(answers):
    rows = answers("l.field = 'context_window'")
    openrouter = {m["id"]: m for m in _json("demo/openrouter/models.json")["data"]}
    litellm = _json("demo/litellm/model_prices_and_context_window.json")
    by_source = {(r["source"], r["source_id"]): r for r in rows}
    assert by_source[("openrouter", SMALL4)]["value"] == str(openrouter[SMALL4]["context_length"])
    assert by_source[("litellm", "mistral/mistral-small-2603")]["value"] == str(
        litellm["mistral/mistral-small-2603"]["max_input_tokens"])
    assert by_source[("modelsdev", "mistral-small-2603")]["chosen"] is True
    assert all(r["fetched_at"] is not None and r["url"].startswith("https://") for r in rows)


def test_disagreements_are_counted_per_field_and_listed_with_every_candidate(answers):
    counts = answers("count(*) AS conflicts")
    assert [r["conflicts"] for r in counts] == sorted((r["conflicts"] for r in counts), reverse=True)
    one = answers("WHERE entity = 'mistralai/mistral-small-2603'")
    litellm = _json("demo/litellm/model_prices_and_context_window.json")["mistral/mistral-small-2603"]
    context = [r for r in one if r["field"] == "context_window"]
    assert {r["chosen"] for r in context} == {"256000"} and {r["chosen_source"] for r in context} == {"modelsdev"}
    assert ("litellm", "mistral/mistral-small-2603", str(litellm["max_input_tokens"])) in [
        (r["candidate"]["source"], r["candidate"]["source_id"], r["candidate"]["value"]) for r in context]
    prices = answers("category = 'disagreement' AND field IN")
    # the DeepSeek API's deepseek-chat alias is a route of DeepSeek V3.2, the model models.dev links it to
    deepseek = {r["field"]: r for r in prices if r["entity"] == "deepseek/deepseek-v3.2@deepseek"}
    api = _json("demo/modelsdev/api.json")["deepseek"]["models"]["deepseek-chat"]["cost"]
    lit = _json("demo/litellm/model_prices_and_context_window.json")["deepseek-chat"]
    assert deepseek["input_usd_per_mtok"]["chosen"] == str(D(str(api["input"])))
    assert f"litellm={_per_token(lit['input_cost_per_token'])}" in deepseek["input_usd_per_mtok"]["listed"]
    assert f"modelsdev={D(str(api['input']))}" in deepseek["input_usd_per_mtok"]["listed"]
    assert counts and sum(r["conflicts"] for r in counts if r["field"] == "input_usd_per_mtok"
                          and r["category"] == "disagreement") >= len([p for p in prices if p["field"] == "input_usd_per_mtok"])


def test_capable_models_meet_every_condition_and_unknown_is_counted_not_no(answers, demo):
    rows = answers("m.open_weights AND m.context_window >= 128000")
    assert rows and [r["cheapest_input"] for r in rows] == sorted(r["cheapest_input"] for r in rows)
    for r in rows:
        assert demo.execute("SELECT open_weights AND context_window >= 128000 FROM models WHERE model_id = ?",
                            [r["model_id"]]).fetchone() == (True,)
        assert demo.execute("SELECT value FROM model_capabilities WHERE model_id = ? AND capability = "
                            "'function_calling'", [r["model_id"]]).fetchone() == ("yes",)
        assert r["cheapest_input"] > 0
    counts = answers("SELECT capability, value, count(*) AS models")
    models = demo.execute("SELECT count(*) FROM models").fetchone()[0]
    per_capability: dict[str, int] = {}
    for r in counts:
        per_capability[r["capability"]] = per_capability.get(r["capability"], 0) + r["models"]
    assert set(per_capability.values()) == {models}, "every model counted once per capability, unknown included"
    assert {"capability": "code_execution", "value": "unknown", "models": models} in counts, \
        "no demo source states code execution"


def test_price_moves_show_before_and_after_as_the_two_snapshots_state_them(answers):
    moves = answers("lag(input_usd_per_mtok) OVER w")
    route = "deepinfra/openai/gpt-oss-120b"  # repriced between the snapshots, no retirement stated
    before = _json("demo-earlier/litellm/model_prices_and_context_window.json")[route]
    after = _json("demo/litellm/model_prices_and_context_window.json")[route]
    shown = [(r["model_id"], r["route"], r["before_input"], r["input_usd_per_mtok"]) for r in moves]
    assert ("openai/gpt-oss-120b", route, _per_token(before["input_cost_per_token"]),
            _per_token(after["input_cost_per_token"])) in shown
    # LiteLLM repriced deepseek-chat too, but states it retired on 2026-07-24, before the demo's data
    # date: its history closes at the retirement and no later price opens
    assert _json("demo/litellm/model_prices_and_context_window.json")["deepseek-chat"]["deprecation_date"] == "2026-07-24"
    assert not [s for s in shown if s[1] == "deepseek-chat"]
    assert all(r["before_input"] != r["input_usd_per_mtok"] or r["before_output"] != r["output_usd_per_mtok"]
               for r in moves)
    on_day = answers("TIMESTAMPTZ '2026-08-01'")
    mistral = _json("demo/modelsdev/api.json")["mistral"]["models"]["mistral-small-2603"]["cost"]
    assert {"provider_id": "mistral", "source": "modelsdev", "route": "mistral-small-2603",
            "input_usd_per_mtok": D(str(mistral["input"])), "output_usd_per_mtok": D(str(mistral["output"]))} in on_day


def test_vanished_offerings_are_those_the_later_snapshot_no_longer_lists(answers):
    gone = answers("WHERE NOT o.active")
    earlier = _json("demo-earlier/litellm/model_prices_and_context_window.json")
    later = _json("demo/litellm/model_prices_and_context_window.json")
    litellm = [r["route"] for r in gone if r["source"] == "litellm"]
    assert "together_ai/deepseek-ai/DeepSeek-R1" in litellm
    assert all(route in earlier and route not in later for route in litellm)
    assert all(r["last_seen"] < datetime(2026, 8, 22, tzinfo=timezone.utc) for r in gone)


def test_id_resolution_counts_and_names_match_the_alias_table_and_the_sources(answers, demo):
    counts = answers("SELECT source, method, count(*) AS ids")
    for source, total in demo.execute("SELECT source, count(*) FROM model_aliases GROUP BY 1").fetchall():
        assert sum(r["ids"] for r in counts if r["source"] == source) == total
    together = (DEMO / "demo" / "pricing_pages" / "together.html").read_text()
    unresolved = answers("rule IS DISTINCT FROM 'not_a_model'")
    assert unresolved and all(r["method"] in ("unresolved", "ambiguous") for r in unresolved)
    assert all(r["source_id"] in together for r in unresolved if r["provider_id"] == "togetherai")
    names = {(r["source"], r["source_id"]) for r in answers("WHERE model_id = 'mistralai/mistral-small-2603'\nORDER BY source, provider_id")}
    assert ("litellm", "mistral/mistral-small-2603") in names and ("openrouter", SMALL4) in names
    assert ("modelsdev", "mistral-small-2603") in names


def test_retiring_routes_carry_the_date_their_sources_state_and_split_at_the_data_date(answers):
    rows = answers("WHERE status IN ('deprecating', 'retired')")
    litellm = _json("demo/litellm/model_prices_and_context_window.json")
    by_route = {(r["model_id"], r["provider_id"]): r for r in rows}
    # LiteLLM: azure_ai/mistral-nemo deprecated 2026-01-30, vertex_ai/claude-sonnet-4-5@20250929 2026-09-29
    assert by_route[("mistralai/mistral-nemo", "azure")]["retired_on"] == date.fromisoformat(
        litellm["azure_ai/mistral-nemo"]["deprecation_date"])
    assert by_route[("anthropic/claude-sonnet-4.5", "google-vertex")]["retired_on"] == date.fromisoformat(
        litellm["vertex_ai/claude-sonnet-4-5@20250929"]["deprecation_date"])
    data_date = date(2026, 8, 21)  # the demo snapshot's newest dated as-of (genai-prices, 2026-08-21)
    assert all((r["status"] == "retired") == (r["retired_on"] <= data_date) for r in rows if r["retired_on"])
    assert [r["retired_on"] for r in rows] == sorted(r["retired_on"] for r in rows)


def test_listing_dates_are_the_aggregators_own(answers):
    rows = answers("WHERE o.listed_at IS NOT NULL")
    created = {m["id"]: datetime.fromtimestamp(m["created"], timezone.utc).date()
               for m in _json("demo/openrouter/models.json")["data"] if m.get("created")}
    checked = [r for r in rows if r["source"] == "openrouter" and r["model_id"] in created]
    assert checked and all(r["listed_at"] == created[r["model_id"]] for r in checked)


def test_price_components_are_the_ones_the_sources_state(answers):
    got = answers("FROM offering_prices\nWHERE model_id = 'mistralai/mistral-small-2603' AND preferred")
    mistral = _json("demo/modelsdev/api.json")["mistral"]["models"]["mistral-small-2603"]["cost"]
    picked = {(r["component"], r["service_tier"], r["threshold_tokens"], r["provider_id"]): r for r in got}
    for component in [c for c in ("input", "output", "cache_read") if c in mistral]:
        row = picked[(component, "standard", 0, "mistral")]
        assert (row["source"], row["usd_per_mtok"]) == ("modelsdev", D(str(mistral[component])))
    assert all(r["threshold_tokens"] >= 0 and r["service_tier"] in ("standard", "batch", "flex", "priority")
               for r in got)


def test_the_leaderboard_top_is_lmarenas_ratings_best_first_with_their_intervals(answers):
    rows = answers("WHERE benchmark_id = 'lmarena-full'\nORDER BY score DESC")
    full = _json("demo/lmarena/leaderboard-text.json")["full"]
    published = {round(e["rating"], 6): (round(e["rating_q025"], 6), round(e["rating_q975"], 6)) for e in full.values()}
    assert 0 < len(rows) <= 10 and [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    for r in rows:  # each score is a rating LMArena publishes, with its own interval, from the lmarena source
        assert r["source"] == "lmarena"
        assert published[round(float(r["score"]), 6)] == (round(float(r["ci_low"]), 6), round(float(r["ci_high"]), 6))


def test_a_rating_history_closes_the_earlier_rating_when_the_leaderboard_moves(answers):
    rows = answers("WHERE model_id = 'google/gemini-2.5-pro' AND source = 'lmarena' AND benchmark_id = 'lmarena-full'")
    earlier = _json("demo-earlier/lmarena/leaderboard-text.json")["full"]["gemini-2.5-pro"]["rating"]
    now = _json("demo/lmarena/leaderboard-text.json")["full"]["gemini-2.5-pro"]["rating"]
    assert [round(float(r["score"]), 6) for r in rows] == [round(earlier, 6), round(now, 6)]
    assert rows[0]["valid_to"] == rows[1]["valid_from"] and rows[1]["valid_to"] is None


def test_every_analyst_query_is_checked_above(answers):
    phrases = ["ORDER BY 0.7 * input_usd_per_mtok", "JOIN model_capability_matrix c USING (model_id)",
               "l.field = 'context_window'", "count(*) AS conflicts", "WHERE entity = 'mistralai/mistral-small-2603'",
               "category = 'disagreement' AND field IN", "m.open_weights AND m.context_window >= 128000",
               "SELECT capability, value, count(*) AS models", "lag(input_usd_per_mtok) OVER w",
               "TIMESTAMPTZ '2026-08-01'", "WHERE NOT o.active", "SELECT source, method, count(*) AS ids",
               "rule IS DISTINCT FROM 'not_a_model'", "WHERE model_id = 'mistralai/mistral-small-2603'\nORDER BY source, provider_id",
               "FROM offering_prices\nWHERE model_id = 'mistralai/mistral-small-2603' AND preferred",
               "WHERE status IN ('deprecating', 'retired')", "WHERE o.listed_at IS NOT NULL",
               "WHERE benchmark_id = 'lmarena-full'\nORDER BY score DESC",
               "WHERE model_id = 'google/gemini-2.5-pro' AND source = 'lmarena' AND benchmark_id = 'lmarena-full'"]
    assert sorted(sum(p in b for p in phrases) for b in answers.blocks) == [1] * len(answers.blocks), \
        "a query added to the docs needs its check here"
