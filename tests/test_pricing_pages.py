"""Providers' HTML pricing pages: price cells, the page configuration, and the demo pages."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.observation import Document, Extraction, SourceError
from pipeline.sources.price_cells import Cell, read_cell
from pipeline.sources.pricing_pages import ConfigError, Page, configured_pages, extract, load_pages
from scrapers.snapshot import Snapshot, write_manifest

FETCHED_AT = datetime(2026, 8, 22, 6, 0, tzinfo=timezone.utc)
PROJECT = Path(__file__).resolve().parent.parent
DEMO = PROJECT / "snapshots" / "demo"
GROQ, TOGETHER = "https://groq.com/pricing", "https://www.together.ai/pricing"


def page_document(url: str, body: bytes | str, status: int = 200) -> Document:
    body = body.encode() if isinstance(body, str) else body
    return Document(source="pricing_pages", url=url, fetched_at=FETCHED_AT, status=status,
                    content_type="text/html; charset=utf-8", sha256=hashlib.sha256(body).hexdigest(), body=body)


def demo_page(url: str) -> str:
    entry = Snapshot(DEMO).lookup(url)
    return (DEMO / entry.file).read_text()


def prices(result: Extraction) -> dict[tuple[str, str], Decimal | str]:
    out = {}
    for o in result.observations:
        if o.field == "name":
            continue
        assert (o.model_id, o.field) not in out
        out[(o.model_id, o.field)] = o.value
    return out


# --- price cells ------------------------------------------------------------------------------

P = lambda v: Cell("price", Decimal(v))  # noqa: E731
UNKNOWN = Cell("unknown")
CELLS = [
    # (cell text, the page's unit, what it says)
    ("$0.15 / 1M tokens", "per_million", P("0.15")),
    ("$0.15/1M", "per_million", P("0.15")),
    ("$2.50/M", "per_million", P("2.5")),
    ("$0.15/MTok", "per_million", P("0.15")),
    ("$1.25 per million tokens", "per_million", P("1.25")),
    ("$0.15 per 1M input tokens", "per_million", P("0.15")),
    ("$0.00015 / 1K", "per_million", P("0.15")),
    ("$0.0006 per 1K tokens", "per_million", P("0.6")),
    ("$0.000002 per token", "per_million", P("2")),
    ("$0.0000001 / token", "per_million", P("0.1")),
    ("$0.88", "per_million", P("0.88")),
    ("0.88", "per_million", P("0.88")),
    ("$0.075", "per_million", P("0.075")),
    ("$0.0006", "per_thousand", P("0.6")),
    ("$0.00000015", "per_token", P("0.15")),
    ("15¢", "per_million", P("0.15")),
    ("12.5 cents", "per_million", P("0.125")),
    ("US$0.30", "per_million", P("0.3")),
    ("$0.30 USD", "per_million", P("0.3")),
    ("$1,200.00", "per_million", P("1200")),
    ("\u00a0$0.20\u00a0", "per_million", P("0.2")),
    ("Free", "per_million", P("0")),
    ("FREE*", "per_million", P("0")),
    ("$0", "per_million", P("0")),
    ("$0.00", "per_million", P("0")),
    ("—", "per_million", UNKNOWN),
    ("–", "per_million", UNKNOWN),
    ("-", "per_million", UNKNOWN),
    ("", "per_million", UNKNOWN),
    ("N/A", "per_million", UNKNOWN),
    ("$0.20*", "per_million", P("0.2")),
    ("$0.20**", "per_million", P("0.2")),
    ("$0.20¹", "per_million", P("0.2")),
    ("$0.20†", "per_million", P("0.2")),
    ("$0.20 [1]", "per_million", P("0.2")),
    ("$0.20[a]", "per_million", P("0.2")),
    ("$0.59 (1.69M / $1)", "per_million", P("0.59")),
    ("$0.075* (13.3M / $1)", "per_million", P("0.075")),
    ("$0.10–$0.30", "per_million", Cell("not_comparable", text="$0.10–$0.30")),
    ("$0.10 - $0.30", "per_million", Cell("not_comparable", text="$0.10 - $0.30")),
    ("$0.10 to $0.30 / 1M", "per_million", Cell("not_comparable", text="$0.10 to $0.30 / 1M")),
    ("Contact us", "per_million", Cell("not_comparable", text="Contact us")),
    ("Contact sales", "per_million", Cell("not_comparable", text="Contact sales")),
    ("Custom", "per_million", Cell("not_comparable", text="Custom")),
    ("Custom pricing*", "per_million", Cell("not_comparable", text="Custom pricing*")),
    ("From $0.10", "per_million", Cell("not_comparable", text="From $0.10")),
]


@pytest.mark.parametrize("text, unit, expected", CELLS)
def test_a_price_cell_reads_as_usd_per_million_tokens(text, unit, expected):
    assert read_cell(text, unit) == expected


@pytest.mark.parametrize("text, reason", [
    ("€0.15", "not a USD price"),
    ("£2 / 1M", "not a USD price"),
    ("abc", "not a price"),
    ("$0.15 input / $0.60 output", "not a price"),
    ("1.2.3", "not a price"),
    ("$", "not a price"),
])
def test_a_cell_that_is_not_a_price_is_a_value_error(text, reason):
    with pytest.raises(ValueError, match=reason):
        read_cell(text)


def test_prices_are_exact_decimals():
    assert read_cell("$0.00015 / 1K").usd_per_mtok == Decimal("0.15")
    assert read_cell("$0.0000003 per token").usd_per_mtok == Decimal("0.3")
    assert read_cell("33¢ / 1K").usd_per_mtok == Decimal("330")
    assert all(isinstance(c.usd_per_mtok, Decimal) for _, _, c in CELLS if c.kind == "price")


# --- the page configuration -------------------------------------------------------------------

def test_the_packaged_configuration_names_every_demo_page():
    pages = configured_pages()
    assert set(pages) == {GROQ, TOGETHER}
    assert {p.provider_id for p in pages.values()} == {"groq", "togetherai"}
    for url in pages:
        assert Snapshot(DEMO).lookup(url) is not None


VALID = """pages:
  - provider_id: groq
    url: https://groq.com/pricing
    columns: {model: AI Model, input: Input, output: Output}
"""


TOGETHER_ENTRY = """  - provider_id: togetherai
    url: https://www.together.ai/pricing
    columns: {model: Model, input: Input, output: Output}
"""


@pytest.mark.parametrize("typo, message", [
    (("columns:", "colums:"), "columns: Field required; colums: Extra inputs are not permitted"),
    (("output: Output}", "ouput: Output}"), "columns.ouput: Extra inputs are not permitted"),
    (("columns:", "unit: per_billion\n    columns:"), "unit: Input should be 'per_million', 'per_thousand' or 'per_token'"),
    (("columns:", "table: {selector: table, headr: Input}\n    columns:"), "table.headr: Extra inputs are not permitted"),
    (("url: https://www.together.ai/pricing", "url: www.together.ai/pricing"), "url: String should match pattern"),
])
def test_a_typo_in_the_pages_file_names_the_file_the_entry_and_its_line(tmp_path, typo, message):
    path = tmp_path / "pages.yaml"
    path.write_text(VALID + TOGETHER_ENTRY.replace(*typo))
    with pytest.raises(ConfigError) as error:
        load_pages(path)
    where, _, what = str(error.value).partition(": entry 2 ")
    assert where == str(path)
    assert what.split(": ", 1)[0] in ("(https://www.together.ai/pricing) at line 5", "(www.together.ai/pricing) at line 5")
    assert message in what


def test_a_page_configured_twice_is_refused(tmp_path):
    path = tmp_path / "pages.yaml"
    path.write_text(VALID + VALID.removeprefix("pages:\n"))
    with pytest.raises(ConfigError, match="https://groq.com/pricing is configured twice"):
        load_pages(path)


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "pages.yaml"
    path.write_text("pages: [\n")
    with pytest.raises(ConfigError, match=f"{path}: not valid YAML"):
        load_pages(path)


# --- the demo pages ---------------------------------------------------------------------------

def test_groq_prices():
    result = extract(page_document(GROQ, demo_page(GROQ)))
    assert not result.rejections
    assert {o.provider_id for o in result.observations} == {"groq"}
    got = prices(result)
    assert got[("Llama 3.3 70B Versatile", "input_usd_per_mtok")] == Decimal("0.59")
    assert got[("Llama 3.3 70B Versatile", "output_usd_per_mtok")] == Decimal("0.79")
    assert got[("Llama 3.1 8B Instant", "input_usd_per_mtok")] == Decimal("0.05")
    assert got[("GPT OSS 120B", "input_usd_per_mtok")] == Decimal("0.15")  # "$0.15*" with its footnote
    assert got[("GPT OSS 20B", "input_usd_per_mtok")] == Decimal("0.075")
    assert got[("Llama 4 Scout (17Bx16E)", "output_usd_per_mtok")] == Decimal("0.34")
    assert len(got) == 16  # eight models, input and output each
    note = next(o.note for o in result.observations if o.model_id == "GPT OSS 120B" and o.field == "input_usd_per_mtok")
    assert note == "cell '$0.15* (6.67M / $1)'"


def test_together_prices_with_cached_input_and_group_rows():
    result = extract(page_document(TOGETHER, demo_page(TOGETHER)))
    assert not result.rejections
    got = prices(result)
    assert got[("GPT OSS 120B", "output_usd_per_mtok")] == Decimal("0.6")
    cached = {m: v for (m, f), v in got.items() if f == "cache_read_usd_per_mtok"}
    assert cached == {"Kimi K2.6": Decimal("0.2"), "GLM-5.2": Decimal("0.26")}
    assert got[("GPT OSS 20B", "input_usd_per_mtok")] == Decimal("0.05")  # "—" cached input: no price stated
    models = {m for m, _ in got}
    assert len(models) == 7 and not models & {"Qwen", "OpenAI", "Google"}  # headings skipped


def test_each_priced_row_states_the_pages_name_for_its_model():
    for url, names in ((GROQ, 8), (TOGETHER, 7)):
        result = extract(page_document(url, demo_page(url)))
        named = {o.model_id: o.value for o in result.observations if o.field == "name"}
        assert len(named) == names and all(model == name for model, name in named.items())
        assert named.keys() == {m for m, _ in prices(result)}
    assert {"Kimi K2.6", "GLM-5.2", "GPT OSS 20B"} <= named.keys()  # Together's rows, as the page writes them


def test_the_demo_prices_are_the_providers_prices_in_models_dev(shared_snapshots):
    """The fixtures' prices are real: each equals the same provider's price in models.dev."""
    api = json.loads((shared_snapshots / "2026-08" / "models.dev" / "api.json").read_text())
    routes = {
        ("groq", "Llama 3.3 70B Versatile"): "llama-3.3-70b-versatile",
        ("groq", "Llama 3.1 8B Instant"): "llama-3.1-8b-instant",
        ("groq", "GPT OSS 120B"): "openai/gpt-oss-120b",
        ("groq", "GPT OSS 20B"): "openai/gpt-oss-20b",
        ("groq", "Qwen3 32B"): "qwen/qwen3-32b",
        ("groq", "Llama 4 Scout (17Bx16E)"): "meta-llama/llama-4-scout-17b-16e-instruct",
        ("groq", "Llama Prompt Guard 2 22M"): "meta-llama/llama-prompt-guard-2-22m",
        ("groq", "Llama Prompt Guard 2 86M"): "meta-llama/llama-prompt-guard-2-86m",
        ("togetherai", "GPT OSS 120B"): "openai/gpt-oss-120b",
        ("togetherai", "GPT OSS 20B"): "openai/gpt-oss-20b",
        ("togetherai", "Qwen 2.5 7B Instruct Turbo"): "Qwen/Qwen2.5-7B-Instruct-Turbo",
        ("togetherai", "Qwen3 235B A22B Instruct 2507 FP8"): "Qwen/Qwen3-235B-A22B-Instruct-2507-tput",
        ("togetherai", "Kimi K2.6"): "moonshotai/Kimi-K2.6",
        ("togetherai", "GLM-5.2"): "zai-org/GLM-5.2",
        ("togetherai", "Gemma 3N E4B Instruct"): "google/gemma-3n-E4B-it",
    }
    fields = {"input_usd_per_mtok": "input", "output_usd_per_mtok": "output", "cache_read_usd_per_mtok": "cache_read"}
    compared = 0
    for url in (GROQ, TOGETHER):
        for o in extract(page_document(url, demo_page(url))).observations:
            if o.field == "name":
                continue
            entry = api[o.provider_id]["models"][routes[(o.provider_id, o.model_id)]]
            assert o.value == Decimal(str(entry["cost"][fields[o.field]])), (o.provider_id, o.model_id, o.field)
            # a page lists live models only: none that models.dev marks deprecated
            assert entry.get("status") != "deprecated", (o.provider_id, o.model_id)
            compared += 1
    assert compared == 16 + 16
    # where LiteLLM prices the same route, it agrees (its 2026-08 price, or it is retired after the pages' date)
    litellm = json.loads((shared_snapshots / "2026-08" / "litellm" / "model_prices_and_context_window.json").read_text())
    prefix = {"groq": "groq/", "togetherai": "together_ai/"}
    agreed = 0
    for (provider, name), route in routes.items():
        entry = litellm.get(prefix[provider] + route)
        if entry is None:
            continue
        page = prices(extract(page_document(GROQ if provider == "groq" else TOGETHER,
                                            demo_page(GROQ if provider == "groq" else TOGETHER))))
        assert page[(name, "input_usd_per_mtok")] == Decimal(str(entry["input_cost_per_token"])) * 10**6, route
        assert page[(name, "output_usd_per_mtok")] == Decimal(str(entry["output_cost_per_token"])) * 10**6, route
        assert str(entry.get("deprecation_date") or "9999") > "2026-07-02", route
        agreed += 1
    assert agreed >= 8


def test_a_contact_us_or_range_row_is_not_comparable_and_a_bad_cell_is_rejected():
    page = Page(provider_id="acme", url="https://acme.example/pricing",
                columns={"model": "Model", "input": "Input", "output": "Output"}, unit="per_thousand")
    html = """<table><tr><th>Model</th><th>Input</th><th>Output</th></tr>
      <tr><td>acme-large</td><td>Contact us</td><td>Contact us</td></tr>
      <tr><td>acme-flex</td><td>$0.10–$0.30</td><td>$0.0006</td></tr>
      <tr><td>acme-lite¹</td><td>Free</td><td>€0.10</td></tr></table>"""
    result = extract(page_document(page.url, html), pages={page.url: page})
    assert prices(result) == {
        ("acme-large", "price_not_comparable"): "input: Contact us; output: Contact us",
        ("acme-flex", "price_not_comparable"): "input: $0.10–$0.30",
        ("acme-flex", "output_usd_per_mtok"): Decimal("0.6"),
        ("acme-lite", "input_usd_per_mtok"): Decimal("0"),
    }
    [rejection] = result.rejections
    assert (rejection.model_id, rejection.field, rejection.raw_value) == ("acme-lite", "output_usd_per_mtok", "€0.10")
    assert rejection.reason == "not a USD price: '€0.10'"


# --- a layout that no longer matches ----------------------------------------------------------

def test_a_missing_header_fails_the_page_naming_the_url_and_the_header():
    html = demo_page(GROQ).replace("Input Token Price", "Input Price")
    with pytest.raises(SourceError) as error:
        extract(page_document(GROQ, html))
    assert error.value.url == GROQ and GROQ in str(error.value)
    assert error.value.reason == "layout changed: no 'table' table has a header containing 'Input Token Price'"


def test_a_missing_column_fails_the_page_naming_the_column():
    html = demo_page(TOGETHER).replace("<th>Output</th>", "<th>Completion</th>")
    with pytest.raises(SourceError) as error:
        extract(page_document(TOGETHER, html))
    assert error.value.url == TOGETHER
    assert error.value.reason.startswith("layout changed: no column header 'Output' (headers: Model, Input, Cached input, Completion")


def test_a_page_without_tables_fails_naming_the_selector():
    with pytest.raises(SourceError) as error:
        extract(page_document(TOGETHER, "<html><body><div>Pricing moved to the console</div></body></html>"))
    assert (error.value.url, error.value.reason) == (TOGETHER, "layout changed: no table matches 'table.pricing-table'")


def test_an_error_status_or_an_unconfigured_url_never_parses():
    with pytest.raises(SourceError, match="HTTP 503"):
        extract(page_document(GROQ, "busy", status=503))
    with pytest.raises(SourceError, match="no pricing page configured"):
        extract(page_document("https://example.com/pricing", demo_page(GROQ)))


# --- crawls through the real engine -----------------------------------------------------------

def crawl(spool: Path, snapshot: Path) -> dict[str, dict]:
    run = subprocess.run([sys.executable, "-m", "scrapers.crawl", "pricing_pages", "--spool", str(spool),
                          "--snapshot", str(snapshot)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = (spool / "pricing_pages" / "documents.jsonl").read_text().splitlines()
    return {d["url"]: d for d in map(json.loads, lines)}


@pytest.mark.slow  # over 0.8 s (--durations)
def test_a_crawl_of_the_demo_snapshot_fetches_each_page_as_a_required_document(tmp_path):
    spooled = crawl(tmp_path, DEMO)
    assert set(spooled) == {GROQ, TOGETHER}
    for url, d in spooled.items():
        assert (d["status"], d["required"], d["error"]) == (200, True, None)
        body = (tmp_path / "pricing_pages" / "bodies" / d["sha256"]).read_bytes()
        assert body == (DEMO / Snapshot(DEMO).lookup(url).file).read_bytes()


@pytest.mark.slow  # over 0.8 s (--durations)
def test_one_page_failing_leaves_the_other_page_fetched(tmp_path):
    snapshot = tmp_path / "snapshot"
    (snapshot / "pricing_pages").mkdir(parents=True)
    groq = Snapshot(DEMO).lookup(GROQ)
    shutil.copy(DEMO / groq.file, snapshot / groq.file)
    write_manifest(snapshot, "one-page", [groq])  # Together's page is missing: a 404
    spooled = crawl(tmp_path / "spool", snapshot)
    assert (spooled[GROQ]["status"], spooled[GROQ]["error"]) == (200, None)
    assert (spooled[TOGETHER]["status"], spooled[TOGETHER]["required"], spooled[TOGETHER]["error"]) == (404, True, "HTTP 404")
