"""Exports and the `compare` / `export` commands: round trips, CSV safety, escaping, name errors."""
from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from flows.cli.compare import register
from records.schema import ComparisonRecord
from tests.comparison_helpers import LARGE, QWEN, SMALL, demo_warehouse
from tests.offering_edits import insert_offering
from warehouse.comparisons import ComparisonSettings, refresh_comparisons
from warehouse.export import TABLES, export_pages, export_tables, pairs_of

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """The demo warehouse on disk, refreshed, with a scraped name and texts carrying markup."""
    db = tmp_path_factory.mktemp("export") / "w.duckdb"
    con = demo_warehouse(db)
    con.execute("INSERT INTO models (model_id, name, vendor, license, kind) VALUES "
                "('evil/model', ?, 'evil', ?, 'chat')", [HOSTILE, "=HYPERLINK(\"http://x\")"])
    con.execute("INSERT INTO providers (provider_id, name, url) VALUES ('evil', '@SUM(1+1)', 'javascript:alert(3)'), "
                "('minus', '-5', NULL), ('tab', '\tcmd', NULL)")
    insert_offering(con, model_id="evil/model", provider_id="evil", source="openrouter", route="+cmd|' /C calc'!A0",
                    input_usd_per_mtok=1, output_usd_per_mtok=2, active=True, preferred=True)
    con.execute("INSERT INTO conflicts (entity, field, candidates, chosen, chosen_source, reason) VALUES "
                "('evil/model', 'license', [{'source': 'openrouter', 'source_id': 'evil/model', 'value': ?}], "
                "NULL, NULL, ?)", [HOSTILE, "-2+3"])
    con.execute("INSERT INTO model_aliases (source, source_id, model_id, method) VALUES "
                "('openrouter', 'evil/model', 'evil/model', 'link')")
    con.execute("INSERT INTO raw_documents (source, url, sha256, run_id, fetched_at, last_run_id, last_fetched_at, "
                "parsed) VALUES ('openrouter', 'javascript:alert(4)', 'x', 1, now(), 1, now(), true)")
    con.execute("INSERT INTO lineage (entity_type, entity, route, field, source, source_provider_id, source_id, url, "
                "document_sha256, observed_field, value, chosen, exact) VALUES ('model', 'evil/model', NULL, 'license', "
                "'openrouter', NULL, 'evil/model', 'javascript:alert(4)', 'x', 'license', 'x', true, true)")
    # the pages of the three demo models the record tests know, and the hostile one
    refresh_comparisons(con, 1, date(2026, 8, 21), ComparisonSettings(model_ids=["evil/model", LARGE, SMALL, QWEN]))
    con.close()
    return db


@pytest.fixture
def con(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def cli(warehouse: Path, *args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, [*args, "--db", str(warehouse)])


def test_parquet_export_reads_back_equal_to_each_table(con, tmp_path):
    written = export_tables(con, tmp_path, "parquet")
    assert [Path(p).name for p in written] == [f"{t}.parquet" for t in TABLES]
    for table in TABLES:
        path = str(tmp_path / f"{table}.parquet")
        n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert n > 0 and con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0] == n
        for left, right in ((f"read_parquet('{path}')", table), (table, f"read_parquet('{path}')")):
            assert con.execute(f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})").fetchone()[0] == 0
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                             [str(tmp_path / "comparisons.parquet")]).fetchall())
    assert types["a_input_usd_per_mtok"] == "DECIMAL(18,9)" and types["overlapping_providers"] == "VARCHAR[]"


def test_jsonl_export_has_one_object_per_row(con, tmp_path):
    export_tables(con, tmp_path, "jsonl")
    lines = (tmp_path / "comparisons.jsonl").read_text().splitlines()
    assert len(lines) == con.execute("SELECT count(*) FROM comparisons").fetchone()[0]
    first = json.loads(lines[0])
    assert first["model_a"] < first["model_b"] and "content_hash" in first


def test_csv_cells_a_spreadsheet_would_run_are_neutralized_but_numbers_stay(con, tmp_path):
    export_tables(con, tmp_path, "csv")
    providers = {r["provider_id"]: r for r in csv.DictReader((tmp_path / "providers.csv").open(newline=""))}
    assert providers["evil"]["name"] == "'@SUM(1+1)"
    assert providers["tab"]["name"] == "'\tcmd"
    assert providers["minus"]["name"] == "-5"  # a plain negative number is not a formula
    models = {r["model_id"]: r for r in csv.DictReader((tmp_path / "models.csv").open(newline=""))}
    assert models["evil/model"]["license"] == "'=HYPERLINK(\"http://x\")"
    assert models[LARGE]["license"] == "Mistral Research License"
    offerings = list(csv.DictReader((tmp_path / "offerings.csv").open(newline="")))
    assert "'+cmd|' /C calc'!A0" in {r["route"] for r in offerings}
    conflicts = {r["entity"]: r for r in csv.DictReader((tmp_path / "conflicts.csv").open(newline=""))}
    assert conflicts["evil/model"]["reason"] == "'-2+3"
    comparisons = list(csv.DictReader((tmp_path / "comparisons.csv").open(newline="")))
    assert {r["percent_cheaper"] for r in comparisons} >= {"91.1"}


def test_html_escapes_a_hostile_model_name_and_keeps_no_unsafe_link(con, warehouse, tmp_path):
    result = cli(warehouse, "compare", "evil/model", "Qwen2-7B-Instruct", "--format", "html")
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript' not in html and "<td>javascript:alert(4)</td>" in html  # shown, not linked
    md = cli(warehouse, "compare", "evil/model", QWEN, "--format", "md").stdout
    assert "<script>" not in md and "&lt;script&gt;" in md and "](<javascript" not in md
    written = export_pages(con, tmp_path, "html", [("evil/model", QWEN, None)], progress=lambda line: None)
    for page in written:
        text = Path(page).read_text()
        assert "<script>" not in text and "<img" not in text and 'href="javascript' not in text


def test_compare_resolves_ids_aliases_and_names_in_any_case(warehouse):
    by_names = cli(warehouse, "compare", "mistral small 4", "QWEN2-7B-INSTRUCT", "--format", "json")
    assert by_names.exit_code == 0, by_names.stderr
    record = ComparisonRecord.model_validate_json(by_names.stdout)
    assert (record.model_a.model_id, record.model_b.model_id) == (SMALL, QWEN)
    by_alias = cli(warehouse, "compare", "azure_ai/mistral-large-2407", SMALL, "--format", "json")
    assert ComparisonRecord.model_validate_json(by_alias.stdout).model_a.model_id == LARGE
    assert record.last_reviewed == date(2026, 8, 21)


def test_compare_takes_a_traffic_profile(warehouse):
    result = cli(warehouse, "compare", SMALL, QWEN, "--format", "json", "--input-tokens", "1000000",
                 "--output-tokens", "0", "--blend", "0.5")
    record = ComparisonRecord.model_validate_json(result.stdout)
    assert record.traffic.input_share == D("0.5")
    assert record.side_a.monthly.usd == D("0.15") and record.side_b.blended.usd == D("0.2")
    bad = cli(warehouse, "compare", SMALL, QWEN, "--blend", "0.12345")
    assert bad.exit_code == 2 and "4 decimal places" in bad.stderr


def test_an_unknown_or_ambiguous_name_is_an_error_listing_the_closest_matches(warehouse, tmp_path):
    unknown = cli(warehouse, "compare", "mistral smal 4", QWEN)
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert "'mistral smal 4' matches no model" in unknown.stderr
    assert "Mistral Small 4 (mistralai/mistral-small-2603)" in unknown.stderr
    db = tmp_path / "twins.duckdb"
    con = demo_warehouse(db)
    con.execute("INSERT INTO models (model_id, name) VALUES ('other/mistral-small-4', 'Mistral Small 4')")
    con.close()
    twins = cli(db, "compare", "Mistral Small 4", QWEN)
    assert twins.exit_code == 2 and "is ambiguous" in twins.stderr
    assert "(mistralai/mistral-small-2603)" in twins.stderr and "(other/mistral-small-4)" in twins.stderr
    missing = cli(tmp_path / "none.duckdb", "compare", SMALL, QWEN)
    assert missing.exit_code == 2 and "no warehouse at" in missing.stderr


def test_export_pages_for_a_model_and_pairs_with_an_index_and_progress(warehouse, tmp_path):
    result = cli(warehouse, "export", "--format", "md", "--out", str(tmp_path), "--model", "Mistral Small 4",
                 "--pair", f"{LARGE},{QWEN}", "--every", "1")
    assert result.exit_code == 0, result.stderr
    pages = sorted(p.name for p in tmp_path.glob("*.md"))
    assert pages == ["evil-model--vs--mistralai-mistral-small-2603.md", "index.md",
                     "mistralai-mistral-large-2407--vs--mistralai-mistral-small-2603.md",
                     "mistralai-mistral-large-2407--vs--qwen-qwen2-7b-instruct.md",
                     "mistralai-mistral-small-2603--vs--qwen-qwen2-7b-instruct.md"]
    assert "exported 1 of 4 pages" in result.stderr and "exported 4 pages and index.md" in result.stderr
    index = (tmp_path / "index.md").read_text()
    assert "[Mistral Small 4 vs Qwen2-7B-Instruct](<mistralai-mistral-small-2603--vs--qwen-qwen2-7b-instruct.md>)" in index
    page = (tmp_path / "mistralai-mistral-small-2603--vs--qwen-qwen2-7b-instruct.md").read_text()
    assert page.startswith("# Mistral Small 4 vs Qwen2-7B-Instruct\n") and "Last reviewed: 2026-08-21, the latest run that fetched every source" in page


def test_export_all_pages_in_parallel_matches_one_process(con, tmp_path):
    pairs = pairs_of(con)
    one = export_pages(con, tmp_path / "one", "html", pairs, progress=lambda line: None, every=2, workers=1)
    two = export_pages(con, tmp_path / "two", "html", pairs, progress=lambda line: None, every=2, workers=2)
    assert len(one) == len(pairs) + 1 == 7
    assert [Path(p).name for p in one] == [Path(p).name for p in two]
    assert all(Path(a).read_text() == Path(b).read_text() for a, b in zip(one, two))


def test_export_rejects_a_bad_selection(warehouse, tmp_path):
    none = cli(warehouse, "export", "--format", "html", "--out", str(tmp_path))
    assert none.exit_code == 2 and "--model X, --pair A,B" in none.stderr
    mixed = cli(warehouse, "export", "--format", "csv", "--out", str(tmp_path), "--all")
    assert mixed.exit_code == 2
    bad_pair = cli(warehouse, "export", "--format", "md", "--out", str(tmp_path), "--pair", SMALL)
    assert bad_pair.exit_code == 2 and "A,B" in bad_pair.stderr
