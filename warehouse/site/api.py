"""The site's JSON API: `api/models.json`, `api/aliases.json`, one `api/pairs/<pair>.json` per pair
page, and the JSON Schemas they follow (`api/schema/`).

Each payload is built through the pydantic models below, so its schema is the model's
`model_json_schema()`; `docs/api/` keeps a copy (`python -m warehouse.site.api docs/api` rewrites
it, and a test fails when it is stale). A pair file is the comparison record its page is rendered
from (`records.schema.ComparisonRecord`, `docs/comparison-record.schema.json`).
Prices are exact decimal strings (USD per million tokens), as in the record.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar

import duckdb
from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema, create_model

from pipeline.identity import names
from records.schema import ModelFacts, Specs
from records.schema import json_schema as record_schema
from warehouse.site.catalog import PriceComponent

API_VERSION = 1
T = TypeVar("T")
Usd = Annotated[Decimal, PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
                WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
                                "description": "USD per million tokens, an exact decimal"}, mode="serialization")]


class _Api(BaseModel):
    # every field is always written, so the schema requires each one: a file missing one is invalid
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True)


# --- api/models.json ------------------------------------------------------------------------

class SourcedFact(_Api, Generic[T]):
    """A reconciled value and the independent sources stating exactly it (None: no source states it)."""

    value: T | None = None
    sources: list[str] = []
    copies: list[str] = []  # `modelsdev (copy of openrouter)`: copies stating the value, not witnesses
    disputed: bool = False  # sources disagree: the model's page and pair records list each statement


def _fact_type(annotation) -> type:
    return annotation.__pydantic_generic_metadata__["args"][0]


# one field per spec of the record (records.schema.Specs), so the two cannot drift apart
Facts = create_model("Facts", __base__=_Api, __doc__="The model's reconciled specs with their sources.",
                     **{name: (SourcedFact[_fact_type(f.annotation)], SourcedFact[_fact_type(f.annotation)]())
                        for name, f in Specs.model_fields.items()})


class ApiCapability(_Api):
    name: str
    value: Literal["yes", "no", "unknown"]
    sources: list[str] = []
    copies: list[str] = []
    dissent: list[str] = []  # sources stating the opposite
    disputed: bool = False


class ApiPrice(_Api):
    """A current price of the route beyond its base input and output price (`offering_prices`)."""

    component: str  # cache_read, cache_write_5m, input_audio...
    service_tier: str  # standard, batch, flex, priority
    threshold_tokens: int  # prompt tokens the tier starts at (0: from the first token)
    threshold_inclusive: bool
    hours: str | None = None  # a daily window; None: all day
    usd_per_mtok: Usd
    source: str


class ApiRoute(_Api):
    """An active offering: the model served by a provider, as one source lists it, with its current prices."""

    provider_id: str
    provider: str
    route: str  # the source's own id for the route
    source: str
    variant: str | None = None
    input_usd_per_mtok: Usd | None = None
    input_source: str | None = None  # the source stating the input price when the listing does not
    output_usd_per_mtok: Usd | None = None
    output_source: str | None = None  # the source stating the output price when the listing does not
    cache_read_usd_per_mtok: Usd | None = None
    cache_read_source: str | None = None  # the source stating the cached-input price when the listing does not
    context_window: int | None = None
    free_tier: bool = False
    catalogue_only: bool = False  # only a price catalogue lists it, no route source (offerings.catalogue_only)
    deprecating: bool = False
    retired_on: date | None = None
    prices: list[ApiPrice] = []


class ApiModel(_Api):
    id: str
    name: str
    vendor: str | None = None
    family: str | None = None
    kind: str | None = None  # models.kind; None: unknown (compared with no model)
    moving_alias_of: list[str] = []  # a moving alias whose target no source states: the snapshots it may name
    page: str  # the model's page, relative to the site root
    facts: Facts
    capabilities: list[ApiCapability]
    routes: list[ApiRoute]
    sources: list[str]  # every source naming or listing the model
    pairs: list[str] = []  # its pair records, api/pairs/<pair>.json


class ModelsPayload(_Api):
    """`api/models.json`: every tracked model the site publishes (a model with a priced route)."""

    api_version: Literal[1] = API_VERSION
    as_of: datetime | None  # the data's moment: the newest as-of of the current documents
    models: list[ApiModel]


def model_entry(facts: ModelFacts, kind: str | None, moving_alias_of: list[str] | None, page: str,
                components: list[PriceComponent], pairs: list[str]) -> ApiModel:
    """One model of models.json from its facts (`warehouse.records.load_facts`) and route price components."""
    specs = {name: {"value": f.value, "sources": f.sources, "copies": f.copies, "disputed": f.disputed}
             for name, f in facts.specs}
    by_route: dict[tuple[str, str, str], list[ApiPrice]] = defaultdict(list)
    for c in components:
        by_route[c.provider_id, c.source, c.route].append(ApiPrice(
            component=c.component, service_tier=c.service_tier, threshold_tokens=c.threshold_tokens,
            threshold_inclusive=c.threshold_inclusive, hours=c.hours, usd_per_mtok=c.usd_per_mtok, source=c.source))
    routes = [ApiRoute(provider_id=r.provider_id, provider=r.provider, route=r.route, source=r.source, variant=r.variant,
                       input_usd_per_mtok=r.input_usd_per_mtok, input_source=r.input_source,
                       output_usd_per_mtok=r.output_usd_per_mtok, output_source=r.output_source,
                       cache_read_usd_per_mtok=r.cache_read_usd_per_mtok, cache_read_source=r.cache_read_source,
                       context_window=r.context_window, free_tier=r.free_tier, catalogue_only=r.catalogue_only,
                       deprecating=r.deprecating,
                       retired_on=r.retired_on, prices=by_route.get((r.provider_id, r.source, r.route), []))
              for r in facts.routes]
    return ApiModel(
        id=facts.model_id, name=facts.name, vendor=facts.vendor, family=facts.family, kind=kind,
        moving_alias_of=moving_alias_of or [], page=page, facts=Facts(**specs),
        capabilities=[ApiCapability(name=c.name, value=c.value, sources=c.sources, copies=c.copies, dissent=c.dissent,
                                    disputed=c.disputed) for c in facts.capabilities],
        routes=routes, sources=facts.contributing_sources, pairs=pairs)


# --- api/aliases.json -----------------------------------------------------------------------

class ApiDocument(_Api):
    url: str
    as_of: str | None = None  # the document's own as-of (a replay's snapshot date, live the fetch date)


class ApiFamily(_Api):
    """A `model_families` decision: an undated id and the dated (or instruct) ids sources list for it."""

    undated_model_id: str
    snapshots: list[str]
    decision: Literal["merged", "split", "alias"]
    relation: str | None = None  # snapshot, instruct, alias_target
    kept_model_id: str | None = None  # merged: the one model's id
    evidence: str


class ApiEvidence(_Api):
    """How the name was resolved (`model_aliases.method` and `rule`) and where the source states it."""

    method: str  # link, rule, alias_file, unresolved, ambiguous
    rule: str | None = None  # hugging_face_id, exact, vendor_prefix, rewrite, loose_suffix, undated...
    candidates: list[str] = []  # an ambiguous name: the models it matches
    families: list[ApiFamily] = []  # family decisions that placed this name
    documents: list[ApiDocument] = []


class ApiAlias(_Api):
    """One source's name for a model: the crosswalk row."""

    source: str
    source_id: str  # the source's own id
    provider_id: str | None = None  # the provider it is listed under (None: the source's catalogue)
    variant: str | None = None  # what only tells the route apart: free, us, fp8...
    alias_kind: Literal["vendor_id", "snapshot", "moving_alias", "reseller"] | None = None  # None: unresolved
    model_id: str | None = None  # None: the name resolves to no model
    model_name: str | None = None
    kind: str | None = None  # the model's kind
    tracked: bool = False  # the model is in models.json (it has a priced route and a page)
    # True: the model it names is known; False: a moving alias whose target no source states
    # (`may_name` lists the snapshots it may name); None: unresolved
    target_stated: bool | None = None
    may_name: list[str] = []
    valid_from: date | None = None  # the date the source states the route was listed (where stated)
    valid_to: date | None = None  # the date the source states the route retires (where stated)
    evidence: ApiEvidence


class AliasesPayload(_Api):
    """`api/aliases.json`: every source's id and alias and the model it names, with the evidence."""

    api_version: Literal[1] = API_VERSION
    as_of: datetime | None
    aliases: list[ApiAlias]
    families: list[ApiFamily]


def aliases_payload(con: duckdb.DuckDBPyConnection, as_of: datetime | None, tracked: set[str]) -> AliasesPayload:
    """The crosswalk from `model_aliases`, `model_families`, `models` and, for the dates and documents,
    `offerings` (listed_at, retired_on) and `lineage` / `benchmark_results` (the documents stating each name)."""
    families = [ApiFamily(undated_model_id=r[0], snapshots=list(r[1]), decision=r[2], relation=r[3], kept_model_id=r[4],
                          evidence=r[5])
                for r in con.execute("""SELECT undated_model_id, snapshots, decision, relation, kept_model_id, evidence
                                        FROM model_families ORDER BY undated_model_id, decision""").fetchall()]
    by_model: dict[str, list[tuple[set[str], ApiFamily]]] = defaultdict(list)
    for f in families:
        ids = {f.undated_model_id, *f.snapshots}
        # the names the decision placed: a merged model's own name needs no decision to be its own
        keys = {names.key(i.split("/", 1)[-1]) for i in ids - {f.kept_model_id}}
        for m in ids | {f.kept_model_id} - {None}:
            by_model[m].append((keys, f))
    rows = con.execute("""
        WITH docs AS (
            SELECT l.source, l.source_id, list_sort(list_distinct(list({'url': l.url, 'as_of': d.as_of}))) AS documents
            FROM (SELECT DISTINCT source, source_id, url, document_sha256 FROM lineage UNION
                  SELECT DISTINCT source, source_id, document_url, document_sha256 FROM benchmark_results
                  WHERE valid_to IS NULL) l
            LEFT JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
            GROUP BY 1, 2),
        dates AS (
            SELECT source, route, provider_id, model_id, min(listed_at) AS listed, max(retired_on) AS retires
            FROM offering_listings GROUP BY ALL)
        SELECT a.source, a.source_id, a.provider_id, a.variant, a.alias_kind, a.model_id, m.name, m.kind,
               m.alias_candidates, a.method, a.rule, a.candidates, t.listed, t.retires, docs.documents
        FROM model_aliases a
        LEFT JOIN models m USING (model_id)
        LEFT JOIN dates t ON t.source = a.source AND t.route = a.source_id
             AND t.provider_id IS NOT DISTINCT FROM a.provider_id AND t.model_id = a.model_id
        LEFT JOIN docs ON docs.source = a.source AND docs.source_id = a.source_id
        ORDER BY a.source, a.source_id, a.provider_id NULLS FIRST, a.variant NULLS FIRST, a.model_id NULLS FIRST""").fetchall()
    aliases = []
    for (source, source_id, provider_id, variant, alias_kind, model_id, name, kind, may_name, method, rule, candidates,
         listed, retires, documents) in rows:
        key = names.key(names.parse(source_id).slug)
        placed = [f for keys, f in by_model.get(model_id, []) if key in keys] if model_id else []
        aliases.append(ApiAlias(
            source=source, source_id=source_id, provider_id=provider_id, variant=variant, alias_kind=alias_kind,
            model_id=model_id, model_name=name, kind=kind, tracked=model_id in tracked,
            target_stated=None if model_id is None else not may_name, may_name=list(may_name or []),
            valid_from=listed, valid_to=retires,
            evidence=ApiEvidence(method=method, rule=rule, candidates=list(candidates or []), families=placed,
                                 documents=[ApiDocument(**d) for d in documents or []])))
    return AliasesPayload(as_of=as_of, aliases=aliases, families=families)


def aliases_digest(con: duckdb.DuckDBPyConnection) -> str:
    """An order-free digest of every input of aliases.json (its key: an unchanged one is not rebuilt)."""
    return con.execute("""
        SELECT string_agg(CAST(h AS VARCHAR), '|') FROM (
            SELECT sum(CAST(hash(a) AS HUGEINT)) FROM model_aliases a UNION ALL
            SELECT sum(CAST(hash(f) AS HUGEINT)) FROM model_families f UNION ALL
            SELECT sum(CAST(hash(model_id, name, kind, alias_candidates) AS HUGEINT)) FROM models UNION ALL
            SELECT sum(CAST(hash(source, route, provider_id, model_id, listed_at, retired_on) AS HUGEINT)) FROM offering_listings
            UNION ALL SELECT sum(CAST(hash(source, url, sha256, as_of) AS HUGEINT)) FROM current_documents
        ) t(h)""").fetchone()[0] or ""


# --- the schemas ----------------------------------------------------------------------------

def schemas() -> dict[str, dict]:
    """File name -> JSON Schema of each API file (published under api/schema/)."""
    out = {}
    for name, model in (("models.schema.json", ModelsPayload), ("aliases.schema.json", AliasesPayload)):
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = schema
    out["comparison-record.schema.json"] = record_schema()
    return out


def schema_text(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def to_json(payload: BaseModel) -> str:
    """Compact JSON (on 2026-08 some 6 MB each for models.json and aliases.json)."""
    return payload.model_dump_json() + "\n"


if __name__ == "__main__":  # python -m warehouse.site.api docs/api: rewrite the committed copies
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/api")
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, schema in schemas().items():
        if file_name != "comparison-record.schema.json":  # committed as docs/comparison-record.schema.json
            (folder / file_name).write_text(schema_text(schema), encoding="utf-8")
