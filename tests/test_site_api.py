"""The site's JSON API (`api/`): every file valid against the schema the site publishes beside it,
the committed schemas current, facts as the demo snapshot's source files state them, and API
files rewritten exactly when their inputs change."""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from decimal import Decimal as D
from html import unescape
from pathlib import Path

import duckdb
import jsonschema
import pytest

from tests.conftest import DEMO_SNAPSHOT, PROJECT_ROOT
from tests.offering_edits import update_offerings
from warehouse.comparisons import refresh_comparisons
from warehouse.site import build_site
from warehouse.site.api import schema_text, schemas

DOCS = PROJECT_ROOT / "docs"
MILLION = D(1_000_000)


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def source_file(name: str):
    return load(DEMO_SNAPSHOT / name)


def source_url(file: str) -> str:
    """The URL the demo manifest records for one of its files."""
    (entry,) = [s for s in source_file("manifest.json")["sources"] if s["file"] == file]
    return entry["url"]


@pytest.fixture(scope="module")
def api(demo_site) -> Path:
    _, out = demo_site
    return out / "api"


@pytest.fixture(scope="module")
def models(api) -> dict[str, dict]:
    return {m["id"]: m for m in load(api / "models.json")["models"]}


@pytest.fixture(scope="module")
def aliases(api) -> list[dict]:
    return load(api / "aliases.json")["aliases"]


def alias(aliases: list[dict], source: str, source_id: str, provider_id: str | None = "any") -> dict:
    found = [a for a in aliases if a["source"] == source and a["source_id"] == source_id
             and (provider_id == "any" or a["provider_id"] == provider_id)]
    assert found, f"no alias {source}:{source_id} ({provider_id})"
    return found[0]


def route(models: dict, model_id: str, source: str, provider_id: str, route_id: str) -> dict:
    (found,) = [r for r in models[model_id]["routes"]
                if (r["source"], r["provider_id"], r["route"]) == (source, provider_id, route_id)]
    return found


def test_every_api_file_is_valid_against_the_schema_published_beside_it(api, demo_site):
    _, out = demo_site
    published = {p.name: load(p) for p in (api / "schema").iterdir()}
    assert set(published) == {"models.schema.json", "aliases.schema.json", "comparison-record.schema.json"}
    validators = {name: jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
                  for name, schema in published.items()}
    for validator in validators.values():
        validator.check_schema(validator.schema)
    validators["models.schema.json"].validate(load(api / "models.json"))
    validators["aliases.schema.json"].validate(load(api / "aliases.json"))
    pair_pages = sorted(p.stem for p in (out / "pairs").glob("*.html"))
    pair_files = sorted(p.stem for p in (api / "pairs").glob("*.json"))
    assert pair_files == pair_pages and len(pair_pages) > 100, "one record per pair page"
    for path in (api / "pairs").glob("*.json"):
        validators["comparison-record.schema.json"].validate(load(path))


def test_the_schemas_are_current_and_docs_keep_a_copy(api):
    built = schemas()
    for name in ("models.schema.json", "aliases.schema.json"):
        assert (DOCS / "api" / name).read_text(encoding="utf-8") == schema_text(built[name]), \
            f"docs/api/{name} is stale: python -m warehouse.site.api docs/api"
        assert load(api / "schema" / name) == built[name]
    assert load(api / "schema" / "comparison-record.schema.json") == load(DOCS / "comparison-record.schema.json")


def test_a_pair_file_is_the_record_its_page_shows(api, demo_site):
    _, out = demo_site
    for path in sorted((api / "pairs").glob("*.json"))[::20]:
        record = load(path)
        page = unescape((out / "pairs" / f"{path.stem}.html").read_text(encoding="utf-8"))
        assert f"<title>{record['title']}" in page, path.name
        assert record["verdict"] in page, path.name
        assert record["model_a"]["name"] in page and record["model_b"]["name"] in page


def test_an_alias_a_source_links_to_weights_names_the_model_of_those_weights(aliases, models):
    """OpenRouter's `deepseek/deepseek-chat` entry states the Hugging Face repo of its weights; its
    own `deepseek/deepseek-v3.2` entry is named after that repo: both name one model."""
    entries = {e["id"]: e for e in source_file("openrouter/models.json")["data"]}
    repo = entries["deepseek/deepseek-chat"]["hugging_face_id"]
    named_after = [i for i in entries if i.split("/", 1)[1] == repo.split("/", 1)[1].lower()]
    assert named_after == ["deepseek/deepseek-v3.2"]
    chat, v32 = alias(aliases, "openrouter", "deepseek/deepseek-chat"), alias(aliases, "openrouter", named_after[0])
    assert chat["model_id"] == v32["model_id"] and chat["model_id"] in models
    assert chat["target_stated"] is True and chat["kind"] == models[chat["model_id"]]["kind"]
    assert (chat["evidence"]["method"], chat["evidence"]["rule"]) == ("link", "hugging_face_id")
    assert source_url("openrouter/models.json") in [d["url"] for d in chat["evidence"]["documents"]]
    # the date the source lists the route from is its `created` timestamp
    created = datetime.fromtimestamp(entries["deepseek/deepseek-r1"]["created"], timezone.utc).date()
    assert alias(aliases, "openrouter", "deepseek/deepseek-r1")["valid_from"] == created.isoformat()


def test_route_prices_are_the_ones_the_source_files_state(models, aliases):
    # models.dev states USD per million tokens
    card = source_file("modelsdev/api.json")["openai"]["models"]["gpt-4o"]["cost"]
    r = route(models, "openai/gpt-4o", "modelsdev", "openai", "gpt-4o")
    assert (D(r["input_usd_per_mtok"]), D(r["output_usd_per_mtok"]), D(r["cache_read_usd_per_mtok"])) == \
        (D(str(card["input"])), D(str(card["output"])), D(str(card["cache_read"])))
    # LiteLLM states USD per token, a batch price and a deprecation date
    entry = source_file("litellm/model_prices_and_context_window.json")["azure/us/gpt-4o-mini-2024-07-18"]
    name = alias(aliases, "litellm", "azure/us/gpt-4o-mini-2024-07-18")
    r = route(models, name["model_id"], "litellm", "azure", "azure/us/gpt-4o-mini-2024-07-18")
    assert D(r["input_usd_per_mtok"]) == D(str(entry["input_cost_per_token"])) * MILLION
    assert D(r["output_usd_per_mtok"]) == D(str(entry["output_cost_per_token"])) * MILLION
    batch = [p for p in r["prices"] if (p["component"], p["service_tier"]) == ("input", "batch")]
    assert [D(p["usd_per_mtok"]) for p in batch] == [D(str(entry["input_cost_per_token_batches"])) * MILLION]
    assert batch[0]["source"] == "litellm"
    assert r["retired_on"] == name["valid_to"] == entry["deprecation_date"]
    assert name["alias_kind"] == "snapshot" and re.search(r"\d{4}-\d{2}-\d{2}$", name["source_id"])


def test_a_moving_alias_whose_target_no_source_states_is_marked(aliases, models):
    """LiteLLM lists `gpt-4o` and dated `gpt-4o-YYYY-MM-DD` entries, none saying which one `gpt-4o`
    serves: the alias is marked, with the snapshots it may name."""
    litellm = source_file("litellm/model_prices_and_context_window.json")
    dated = {f"openai/{k}" for k in litellm if re.fullmatch(r"gpt-4o-\d{4}-\d{2}-\d{2}", k)}
    assert dated
    name = alias(aliases, "litellm", "gpt-4o")
    assert name["target_stated"] is False and name["alias_kind"] == "moving_alias"
    assert dated <= set(name["may_name"])
    assert models[name["model_id"]]["moving_alias_of"] == name["may_name"]
    assert [f["decision"] for f in name["evidence"]["families"]] == ["alias"]
    # a name the dated form of which a source states is the snapshot's, with its target stated
    snap = alias(aliases, "litellm", "gpt-4o-2024-11-20")
    assert snap["target_stated"] is True and snap["model_id"] == "openai/gpt-4o-2024-11-20" in name["may_name"]
    assert all(a["target_stated"] is True for a in aliases if a["model_id"] and a["model_id"] not in
               {m for m, e in models.items() if e["moving_alias_of"]} and a["tracked"])
    unresolved = [a for a in aliases if a["model_id"] is None]
    assert unresolved and all(a["target_stated"] is None and a["alias_kind"] is None for a in unresolved)


def test_the_index_links_the_data(demo_site):
    _, out = demo_site
    index = (out / "index.html").read_text(encoding="utf-8")
    section = index[index.index('id="data"'):]
    for href in ("api/models.json", "api/aliases.json", "api/schema/models.schema.json",
                 "api/schema/aliases.schema.json", "api/schema/comparison-record.schema.json"):
        assert f'href="{href}"' in section and (out / href).is_file(), href
    (example,) = re.findall(r'href="(api/pairs/[^"]+\.json)"', section)
    assert (out / example).is_file()


def test_api_files_are_rewritten_when_their_inputs_change_and_published_with_the_site(demo_site, tmp_path):
    db, _ = demo_site
    copy = tmp_path / "w.duckdb"
    shutil.copy(db, copy)
    out = tmp_path / "site"
    con = duckdb.connect(str(copy))
    build_site(con, out, progress=lambda _: None)
    assert (out / "api").resolve().parent == out.resolve(), "the API is inside the build swapped in"
    files = lambda: {str(p.relative_to(out)): p.stat().st_ino for p in (out / "api").rglob("*.json")}  # noqa: E731
    first = files()
    build_site(con, out, progress=lambda _: None)
    assert files() == first, "an unchanged warehouse keeps every API file"

    update_offerings(con, "model_id = 'qwen/qwen3-32b' AND active", cache_read_usd_per_mtok=0.01)
    run_id, reviewed = con.execute("SELECT max(run_id), (SELECT max(last_reviewed) FROM comparisons) FROM runs").fetchone()
    refresh_comparisons(con, run_id, reviewed)
    build_site(con, out, progress=lambda _: None)
    second = files()
    changed = {p for p in second if second[p] != first.get(p)}
    pairs = {p for p in first if p.startswith("api/pairs/") and "qwen-qwen3-32b" in p}
    assert len(pairs) > 5 and changed == {"api/models.json"} | pairs
    qwen = {m["id"]: m for m in load(out / "api/models.json")["models"]}["qwen/qwen3-32b"]
    assert {D(r["cache_read_usd_per_mtok"]) for r in qwen["routes"]} == {D("0.01")}

    con.execute("UPDATE model_aliases SET alias_kind = 'reseller' WHERE source = 'litellm' AND source_id = 'gpt-4o'")
    build_site(con, out, progress=lambda _: None)
    third = files()
    assert {p for p in third if third[p] != second.get(p)} == {"api/aliases.json"}
    assert alias(load(out / "api/aliases.json")["aliases"], "litellm", "gpt-4o")["alias_kind"] == "reseller"
    con.close()
