"""Reconciliation: current observations in, the canonical tables analysts query out.

Python resolves identity (pure, `pipeline.identity`) over the distinct source ids and registers it,
with the curated rules, as small tables; the SQL in `warehouse/sql/reconcile/` (run in the order
`warehouse.steps.RECONCILE` declares, in one transaction) does the rest set-based. models,
model_aliases, model_capabilities, providers, conflicts, lineage and the current values of
offerings are rebuilt by each run whose inputs changed (`warehouse.incremental`; an unchanged run
recomputes no model); offerings' first_seen, last_seen and active, and offering_prices (the
price history), carry across runs.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from importlib import resources
from typing import NamedTuple

import duckdb
import pyarrow as pa

from pipeline import benchmarks, display_names, identity, leaderboard_names, reconcile as rules
from pipeline.identity import families, kinds
from pipeline.identity.names import WEIGHTS_LIBRARY
from warehouse import history, incremental, steps


class ResolutionRow(NamedTuple):
    """Per source: ids resolved to a canonical model, and the same for priced chat-model ids."""

    source: str
    resolved: int
    total: int
    priced_chat_resolved: int
    priced_chat_total: int


class PriceChange(NamedTuple):
    model_id: str
    provider_id: str
    source: str
    route: str
    old_input: Decimal | None
    old_output: Decimal | None
    new_input: Decimal | None
    new_output: Decimal | None


@dataclass
class ReconcileSummary:
    models: int
    offerings: int                       # active offerings
    new_models: list[str]                # canonical ids not in models before this run
    retired_offerings: int               # offerings active before this run and not now
    price_changes: list[PriceChange]     # largest relative change first
    conflicts: dict[str, int]            # per field
    resolution: list[ResolutionRow]
    seconds: float = 0.0
    unresolved: int = 0
    ambiguous: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    recomputed_models: int = 0           # models recomputed: all of them, or none when nothing changed
    recompute_reason: str | None = None  # why they were (None: the inputs were the last run's)


def sql_steps() -> list[tuple[str, str]]:
    """The reconcile SQL files, (name, text), in the order `warehouse.steps.RECONCILE` declares,
    each `-- scd2: <table>` line replaced by that table's SCD2 SQL."""
    folder = resources.files("warehouse").joinpath("sql", "reconcile")
    return [(name, _SCD2.sub(lambda m: history.scd2_sql(history.HISTORIES[m[1]]), folder.joinpath(name).read_text()))
            for name, _ in steps.RECONCILE]


_SCD2 = re.compile(r"^-- scd2: (\w+)$", re.M)  # where a step writes a history table (warehouse.history)


def reconcile(con: duckdb.DuckDBPyConnection, run_id: int, now: datetime, full: bool = False) -> ReconcileSummary:
    """Rebuild the reconciled tables from `current_observations`; carry offerings' history.

    A run whose inputs are the last reconcile's (`warehouse.incremental`) recomputes no model and
    only moves what depends on the run; `full` recomputes every model regardless."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    before_models = {r[0] for r in con.execute("SELECT model_id FROM models").fetchall()}
    previous = incremental.known_ids(con)
    reason, state = incremental.why_recompute(con, now, previous)
    if full:
        reason = "a full recompute was asked for"
    timings["inputs check"] = time.perf_counter() - started
    if reason is None:
        return _unchanged(con, run_id, state, started, timings)

    ids = [identity.SourceId(*r) for r in con.execute(
        "SELECT DISTINCT source, provider_id, model_id FROM current_observations UNION "
        "SELECT DISTINCT source, NULL, model_id FROM current_benchmark_observations ORDER BY ALL").fetchall()]
    links = [(identity.SourceId(s, p, m), repo) for s, p, m, repo in con.execute(
        "SELECT DISTINCT source, provider_id, model_id, value_text FROM current_observations "
        "WHERE field = 'hugging_face_id' ORDER BY ALL").fetchall()]
    lookups = leaderboard_names.lookup_ids(ids)  # leaderboard names resolve through their forms
    plain = [i for i in ids if i not in lookups]
    result = identity.resolve_ids(plain + [f for forms in lookups.values() for f, _ in forms], links, previous)
    if lookups:
        by_id = {r.id: r for r in result.resolutions}
        result.resolutions = [by_id[i] for i in plain] + [
            leaderboard_names.choose(i, forms, by_id) for i, forms in lookups.items()]
    fact_rows = [(identity.SourceId(s, p, m), f, v) for s, p, m, f, v in con.execute(FACT_SQL).fetchall()]
    found_families = families.decide(result, fact_rows)
    result = families.apply(result, found_families)
    timings["identity"] = time.perf_counter() - started

    tables = _inputs(result, ids, run_id, now, found_families)
    tables["_kind_evidence"], tables["_model_kinds"] = _kinds(con, result)
    tables["_display_names"] = _display_names(con, result)
    for name, table in tables.items():
        con.register(name, table)
    con.execute("BEGIN TRANSACTION")
    try:
        for name, sql in sql_steps():
            step = time.perf_counter()
            con.execute(sql)
            timings[name] = time.perf_counter() - step
        changes = _price_changes(con)
        retired = con.execute(
            "SELECT count(*) FROM _offer_prev p JOIN offering_listings o USING (model_id, provider_id, source, route) "
            "WHERE p.active AND NOT o.active").fetchone()[0]
        unresolved = sum(r.method == "unresolved" for r in result.resolutions)
        ambiguous = sum(r.method == "ambiguous" for r in result.resolutions)
        step = time.perf_counter()
        incremental.save_route_documents(con)
        incremental.save(con, run_id, unresolved, ambiguous)
        timings["state saved"] = time.perf_counter() - step
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            con.unregister(name)
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary "
                                   "AND starts_with(table_name, '_')").fetchall():
            con.execute(f'DROP TABLE IF EXISTS temp."{name}"')

    models, active = con.execute(
        "SELECT (SELECT count(*) FROM models), (SELECT count(*) FROM offering_listings WHERE active)").fetchone()
    after_models = [r[0] for r in con.execute("SELECT model_id FROM models ORDER BY model_id").fetchall()]
    conflicts = dict(con.execute("SELECT field, count(*) FROM conflicts GROUP BY field ORDER BY 2 DESC, 1").fetchall())
    return ReconcileSummary(
        models=models, offerings=active, new_models=[m for m in after_models if m not in before_models],
        retired_offerings=retired, price_changes=changes, conflicts=conflicts,
        resolution=resolution_report(con), seconds=time.perf_counter() - started,
        unresolved=unresolved, ambiguous=ambiguous, timings=timings, recomputed_models=models,
        recompute_reason=reason)


def _unchanged(con: duckdb.DuckDBPyConnection, run_id: int, state: incremental.State, started: float,
               timings: dict[str, float]) -> ReconcileSummary:
    """A run whose inputs are the last reconcile's: no model recomputed; offerings' last_seen moves."""
    con.execute("BEGIN TRANSACTION")
    try:
        incremental.refresh_dated(con, run_id, state)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    models, active = con.execute(
        "SELECT (SELECT count(*) FROM models), (SELECT count(*) FROM offering_listings WHERE active)").fetchone()
    conflicts = dict(con.execute("SELECT field, count(*) FROM conflicts GROUP BY field ORDER BY 2 DESC, 1").fetchall())
    timings["unchanged"] = time.perf_counter() - started
    return ReconcileSummary(
        models=models, offerings=active, new_models=[], retired_offerings=0, price_changes=[], conflicts=conflicts,
        resolution=resolution_report(con), seconds=time.perf_counter() - started, unresolved=state.unresolved,
        ambiguous=state.ambiguous, timings=timings, recomputed_models=0, recompute_reason=None)


def _inputs(result: identity.Identity, ids: list[identity.SourceId], run_id: int, now: datetime,
            found_families: list[families.Family]) -> dict[str, pa.Table]:
    """The identity resolution and the curated rules, as the tables the reconcile SQL joins to."""
    aliases = {f.undated for f in found_families if f.decision == "alias"}
    resolution = pa.Table.from_pylist([
        {"source": r.id.source, "provider_id": r.id.provider_id, "source_id": r.id.source_id,
         "model_id": r.model_id, "method": r.method, "rule": r.rule, "variant": r.variant,
         "candidates": list(r.candidates), "names_model": r.names_model,
         "vendor_repo": _vendor_repo(r, result),
         "alias_kind": families.alias_kind(r.id.source_id, r.model_id, r.names_model, aliases)}
        for r in result.resolutions],
        schema=pa.schema([("source", pa.string()), ("provider_id", pa.string()), ("source_id", pa.string()),
                          ("model_id", pa.string()), ("method", pa.string()), ("rule", pa.string()),
                          ("variant", pa.string()), ("candidates", pa.list_(pa.string())),
                          ("names_model", pa.bool_()), ("vendor_repo", pa.bool_()), ("alias_kind", pa.string())]))
    models = pa.Table.from_pylist(
        [{"model_id": m.model_id, "vendor": m.vendor} for m in result.models.values()],
        schema=pa.schema([("model_id", pa.string()), ("vendor", pa.string())]))
    mapped = {(source, provider_id): identity.provider_for(source, provider_id)
              for source, provider_id in sorted({(i.source, i.provider_id) for i in ids if i.provider_id})}
    provider_map = pa.Table.from_pylist(
        [{"source": s, "source_provider_id": sp, "provider_id": p.provider_id, "vendor": p.vendor,
          "is_primary": p.primary, "kind": p.kind} for (s, sp), p in mapped.items()],
        schema=pa.schema([("source", pa.string()), ("source_provider_id", pa.string()), ("provider_id", pa.string()),
                          ("vendor", pa.string()), ("is_primary", pa.bool_()), ("kind", pa.string())]))
    providers = {e.provider_id: (e.name, e.url, e.kind) for e in identity.provider_file().providers}
    for p in mapped.values():
        providers.setdefault(p.provider_id, (p.name, p.url, p.kind))
    provider_rows = pa.Table.from_pylist(
        [{"provider_id": k, "name": n, "url": u, "kind": kind} for k, (n, u, kind) in sorted(providers.items())],
        schema=pa.schema([("provider_id", pa.string()), ("name", pa.string()), ("url", pa.string()),
                          ("kind", pa.string())]))
    precedence = rules.precedence()
    return {
        "_resolution": resolution,
        "_model_families": pa.Table.from_pylist(
            [{"undated_model_id": f.undated, "snapshots": list(f.snapshots), "decision": f.decision,
              "evidence": f.evidence, "relation": f.relation, "kept_model_id": f.kept or None}
             for f in found_families],
            schema=pa.schema([("undated_model_id", pa.string()), ("snapshots", pa.list_(pa.string())),
                              ("decision", pa.string()), ("evidence", pa.string()), ("relation", pa.string()),
                              ("kept_model_id", pa.string())])),
        "_identity_models": models,
        "_provider_map": provider_map,
        "_providers": provider_rows,
        "_field_rules": pa.Table.from_pylist(rules.field_rule_rows(precedence)),
        "_tolerance": pa.Table.from_pylist(rules.tolerance_rows(precedence)),
        "_source_rank": pa.Table.from_pylist(rules.source_rank_rows(precedence)),
        "_offering_conflicts": pa.Table.from_pylist([{"field": f} for f in precedence.offerings.conflicts]),
        "_derived": pa.Table.from_pylist(rules.derived_rows(precedence), schema=pa.schema(
            [("source", pa.string()), ("provider", pa.string()), ("copies", pa.string()), ("field", pa.string())])),
        "_plausibility": pa.Table.from_pylist([{"rule": r} for r in precedence.plausibility],
                                              schema=pa.schema([("rule", pa.string())])),
        "_reconcile_run": pa.Table.from_pylist([{"run_id": run_id, "now": now}]),
        "_benchmarks": pa.Table.from_pylist(benchmarks.benchmark_rows(), schema=pa.schema([
            ("benchmark_id", pa.string()), ("name", pa.string()), ("metric", pa.string()), ("unit", pa.string()),
            ("min_score", pa.decimal128(18, 6)), ("max_score", pa.decimal128(18, 6)), ("higher_is_better", pa.bool_()),
            ("significance", pa.string()), ("url", pa.string()), ("description", pa.string())])),
        "_benchmark_copies": pa.Table.from_pylist(benchmarks.copy_rows(), schema=pa.schema([
            ("source", pa.string()), ("benchmark_id", pa.string()), ("of", pa.string())])),
    }


# Model facts that tell a dated snapshot from its undated twin (pipeline/identity/families.py).
FACT_SQL = """
SELECT source, provider_id, model_id, field,
       coalesce(CAST(value_date AS VARCHAR), CAST(value_int AS VARCHAR),
                array_to_string(list_sort(list_filter(value_list, lambda m: m <> 'pdf')), ','), value_text)
FROM current_observations
WHERE field IN ('release_date', 'context_window', 'max_output_tokens', 'input_modalities', 'output_modalities',
                'hugging_face_id', 'name')
UNION
SELECT source, provider_id, model_id, 'listed_names', unnest(value_list)
FROM current_observations WHERE field = 'listed_names'
UNION  -- a Hugging Face host lists a model under its repo's id (as pipeline/identity/names.states_weights)
SELECT source, provider_id, model_id, 'repo', model_id
FROM current_observations
WHERE source = 'huggingface' OR (source = 'modelsdev' AND provider_id = 'huggingface')
   OR (source = 'genai_prices' AND starts_with(provider_id, 'huggingface'))
UNION  -- a host's weights catalogue ('accounts/fireworks/models/qwen2p5-coder-14b') names weights by their repo
SELECT source, provider_id, model_id, 'catalogued_weights', regexp_extract(model_id, '[^/]+$')
FROM current_observations WHERE regexp_matches(model_id, '{weights_library}')
ORDER BY ALL
""".replace("{weights_library}", WEIGHTS_LIBRARY.pattern)  # the identity package's rule (names.states_weights)

KIND_SQL = """
SELECT source, provider_id, model_id AS source_id, min(url) AS url, min(as_of) AS as_of,
       min(value_text) FILTER (WHERE field = 'mode') AS mode,
       min(value_list) FILTER (WHERE field = 'input_modalities') AS inputs,
       min(value_list) FILTER (WHERE field = 'output_modalities') AS outputs,
       coalesce(bool_or(field = 'input_usd_per_mtok') AND bool_or(field = 'output_usd_per_mtok')
                AND NOT coalesce(bool_or(price_component IN ('output_audio', 'output_image', 'output_video')), false), false)
           AS text_priced,
       NULL AS leaderboard
FROM current_observations GROUP BY ALL
UNION ALL
SELECT source, NULL, model_id, min(url), min(as_of), NULL, NULL, NULL, false, source
FROM current_benchmark_observations GROUP BY ALL
ORDER BY ALL
"""
KIND_EVIDENCE = pa.schema([("model_id", pa.string()), ("source", pa.string()), ("provider_id", pa.string()),
                           ("source_id", pa.string()), ("kind", pa.string()), ("basis", pa.string()),
                           ("url", pa.string()), ("as_of", pa.string())])


def _display_names(con: duckdb.DuckDBPyConnection, result: identity.Identity) -> pa.Table:
    """Each name a source states, as shown (`pipeline.display_names.display_name`; `model_id` NULL),
    and each model's name from its id (`name` NULL) for a model no source names."""
    stated = {n for (r,) in con.execute("SELECT DISTINCT value_text FROM current_observations "
                                        "WHERE field = 'name' AND value_text IS NOT NULL").fetchall()
              for n in (r, display_names.VENDOR_PREFIX.sub("", r))}  # as stg_inputs.sql may have cut it
    return pa.Table.from_pylist(
        [{"name": n, "model_id": None, "display": display_names.display_name(n)} for n in sorted(stated)]
        + [{"name": None, "model_id": m, "display": display_names.id_name(m)} for m in result.models],
        schema=pa.schema([("name", pa.string()), ("model_id", pa.string()), ("display", pa.string())]))


def _kinds(con: duckdb.DuckDBPyConnection, result: identity.Identity) -> tuple[pa.Table, pa.Table]:
    """Each resolved id's evidence of its model's kind (`pipeline.identity.kinds`), and the kind
    chosen per model from all of it."""
    model_of = {(r.id.source, r.id.provider_id, r.id.source_id): r.model_id for r in result.resolutions if r.model_id}
    rows, by_model = [], {}
    for source, provider_id, source_id, url, as_of, *statements in con.execute(KIND_SQL).fetchall():
        model_id = model_of.get((source, provider_id, source_id))
        if model_id is None:
            continue
        witness = source if provider_id is None else f"{source}/{provider_id}"
        for e in kinds.evidence(witness, source_id, *statements):
            rows.append({"model_id": model_id, "source": source, "provider_id": provider_id, "source_id": source_id,
                         "kind": e.kind, "basis": e.basis, "url": url, "as_of": as_of})
            by_model.setdefault(model_id, []).append(e)
    chosen = [{"model_id": m, "kind": k[0], "kind_basis": k[1]}
              for m, found in sorted(by_model.items()) if (k := kinds.choose(found))]
    return (pa.Table.from_pylist(rows, schema=KIND_EVIDENCE),
            pa.Table.from_pylist(chosen, schema=pa.schema([("model_id", pa.string()), ("kind", pa.string()),
                                                           ("kind_basis", pa.string())])))


def _vendor_repo(r: identity.Resolution, result: identity.Identity) -> bool | None:
    """For a Hugging Face repo: whether its owner is the model's vendor (only the vendor's own repo
    dates a release); None for other sources."""
    if r.id.source != "huggingface" or r.model_id is None or r.model_id not in result.models:
        return None
    owner = identity.default_vendors().canonical(r.id.source_id.split("/")[0])
    return owner is not None and owner == result.models[r.model_id].vendor


def _price_changes(con: duckdb.DuckDBPyConnection) -> list[PriceChange]:
    """Prices this run changed, largest relative change (of input or output) first."""
    rows = con.execute("""
        SELECT model_id, provider_id, source, route, old_input, old_output, new_input, new_output
        FROM _base_price_changes
        ORDER BY greatest(coalesce(abs(new_input - old_input) / nullif(old_input, 0), abs(new_input - old_input) * 1e6, 0),
                          coalesce(abs(new_output - old_output) / nullif(old_output, 0), abs(new_output - old_output) * 1e6, 0)) DESC,
                 model_id, provider_id, source, route""").fetchall()
    return [PriceChange(*r) for r in rows]


RESOLUTION_SQL = """
WITH priced_chat AS (
    -- a priced chat-model id: input and output prices, an output price (or a free one), and
    -- text among its output modalities where the source states them, and a chat mode where the
    -- source states one (LiteLLM's rerank, embedding and transcription entries are not chat models)
    SELECT source, provider_id, model_id AS source_id
    FROM current_observations
    GROUP BY ALL
    HAVING count(*) FILTER (WHERE field = 'input_usd_per_mtok') > 0
       AND count(*) FILTER (WHERE field = 'output_usd_per_mtok') > 0
       AND (max(value_decimal) FILTER (WHERE field = 'output_usd_per_mtok') > 0
            OR max(value_decimal) FILTER (WHERE field = 'input_usd_per_mtok') = 0)
       AND coalesce(bool_or(list_contains(value_list, 'text')) FILTER (WHERE field = 'output_modalities'), true)
       AND coalesce(bool_or(value_text IN ('chat', 'completion', 'responses')) FILTER (WHERE field = 'mode'), true))
SELECT a.source,
       count(*) FILTER (WHERE a.model_id IS NOT NULL) AS resolved,
       count(*) AS total,
       count(*) FILTER (WHERE p.source IS NOT NULL AND a.model_id IS NOT NULL) AS priced_chat_resolved,
       count(*) FILTER (WHERE p.source IS NOT NULL) AS priced_chat_total
FROM model_aliases a
LEFT JOIN priced_chat p ON p.source = a.source AND p.provider_id IS NOT DISTINCT FROM a.provider_id
                       AND p.source_id = a.source_id AND a.rule IS DISTINCT FROM 'not_a_model'
GROUP BY a.source
ORDER BY a.source
"""


def resolution_report(con: duckdb.DuckDBPyConnection) -> list[ResolutionRow]:
    """Share of source ids resolved, per source (an id counts once per source provider), and of
    priced chat-model ids (ids that are routers or price buckets, not models, are left out of those)."""
    return [ResolutionRow(*r) for r in con.execute(RESOLUTION_SQL).fetchall()]
