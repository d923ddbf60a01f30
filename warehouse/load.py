"""Landing a crawl's spooled documents: raw_documents, observations, rejected_observations."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.observation import Document, Extraction, Observation, SourceError
from pipeline.reconcile import valid_from
from pipeline.source_policy import policy

PRICE_COLUMNS = ["price_component", "price_service_tier", "price_threshold_tokens", "price_threshold_inclusive",
                 "price_starts_on", "price_ends_on", "price_hours", "price_in_force"]
OBSERVATION_COLUMNS = [
    "source", "url", "document_sha256", "fetched_at", "as_of", "model_id", "provider_id", "field",
    "value_decimal", "value_int", "value_bool", "value_date", "value_text", "value_list", "unit", "note",
    *PRICE_COLUMNS,
]
BENCHMARK_COLUMNS = ["source", "url", "document_sha256", "fetched_at", "as_of", "model_id", "benchmark_id", "setting",
                     "harness", "score", "ci_low", "ci_high", "sample_size", "evaluated_at", "result_url",
                     "source_row", "note"]
REJECTION_COLUMNS = ["source", "url", "document_sha256", "fetched_at", "model_id", "provider_id",
                     "field", "raw_value", "reason"]


@dataclass
class SourceLoad:
    """What loading one source's crawl did in one run."""

    source: str
    documents: int = 0
    observations: int = 0
    rejected: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # optional documents that were not there
    errors: list[str] = field(default_factory=list)   # required documents that failed: URL and reason
    held: list[str] = field(default_factory=list)     # documents held for review: URL and both counts
    skipped_reason: str | None = None  # the source was not fetched at all (e.g. "not in this snapshot")

    @property
    def status(self) -> str:
        return "failed" if self.errors else "held" if self.held else "skipped" if self.skipped_reason else "ok"

    @property
    def reason(self) -> str:
        """Why the source failed (URLs and reasons), is held, or was skipped; empty when it is ok."""
        return "; ".join(self.errors) or "; ".join(self.held) or self.skipped_reason or ""


def _value_columns(obs: Observation) -> tuple:
    v = obs.value
    if isinstance(v, bool):
        return None, None, v, None, None, None
    if isinstance(v, int):
        return None, v, None, None, None, None
    if isinstance(v, Decimal):
        return v, None, None, None, None, None
    if isinstance(v, date):
        return None, None, None, v, None, None
    if isinstance(v, tuple):
        return None, None, None, None, None, list(v)
    return None, None, None, None, v, None


def _price_columns(obs: Observation) -> tuple:
    k = obs.price
    if k is None:
        return (None,) * len(PRICE_COLUMNS)
    return (k.component, k.service_tier, k.threshold_tokens, k.threshold_inclusive, k.starts_on, k.ends_on, k.hours,
            k.in_force)


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    schema = con.sql(f"SELECT {', '.join(columns)} FROM {table} LIMIT 0").to_arrow_table().schema
    batch = pa.Table.from_arrays([pa.array(values, type=f.type) for values, f in zip(zip(*rows), schema)],
                                 schema=schema)  # column by column: no dict per row
    con.register("_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _batch")
    finally:
        con.unregister("_batch")


def _store(con: duckdb.DuckDBPyConnection, run_id: int, doc: Document, result: Extraction | None,
           error: str | None, held: str | None = None) -> None:
    con.execute(
        "INSERT INTO raw_documents (source, url, sha256, run_id, fetched_at, last_run_id, last_fetched_at, "
        "http_status, content_type, as_of, parsed, parse_error, body, effective_at, held) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc.source, doc.url, doc.sha256, run_id, doc.fetched_at, run_id, doc.fetched_at, doc.status,
         doc.content_type, doc.as_of, error is None, error, doc.body,
         valid_from(doc.as_of, doc.fetched_at, doc.data_date), held])
    if result is None:
        return
    _insert(con, "observations", OBSERVATION_COLUMNS, [
        (o.source, o.url, o.document_sha256, o.fetched_at, o.as_of, o.model_id, o.provider_id, o.field,
         *_value_columns(o), o.unit, o.note, *_price_columns(o)) for o in result.observations])
    _insert(con, "benchmark_observations", BENCHMARK_COLUMNS,
            [tuple(getattr(b, c) for c in BENCHMARK_COLUMNS) for b in result.benchmarks])
    _insert(con, "rejected_observations", REJECTION_COLUMNS, [
        (r.source, r.url, r.document_sha256, r.fetched_at, r.model_id, r.provider_id, r.field,
         r.raw_value, r.reason) for r in result.rejections])


def _spooled(folder: Path):
    index = folder / "documents.jsonl"
    if not index.is_file():
        return
    with index.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def load_source(con: duckdb.DuckDBPyConnection, run_id: int, source: str, spool: Path) -> SourceLoad:
    """Load one source's spooled crawl in one transaction.

    A body already stored (same source, URL and sha256) only has its last fetch updated, so loading
    the same snapshot twice adds no rows. A required document that failed to fetch or parse fails
    the source; nothing earlier runs stored is touched.
    """
    outcome = SourceLoad(source)
    folder = spool / source
    con.execute("BEGIN TRANSACTION")
    try:
        for meta in _spooled(folder):
            _load_document(con, run_id, folder, meta, outcome)
        if not outcome.documents and not outcome.errors:
            outcome.errors.append(f"{source}: the crawl produced no documents")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return outcome


def _load_document(con, run_id: int, folder: Path, meta: dict, outcome: SourceLoad) -> None:
    url, required = meta["url"], meta.get("required", True)
    if meta.get("error"):
        if required:
            outcome.errors.append(f"{url}: {meta['error']}")
        else:
            outcome.skipped.append(f"{url}: {meta['error']}")
        return
    outcome.documents += 1
    seen = con.execute(
        "UPDATE raw_documents SET last_run_id = ?, last_fetched_at = ? "
        "WHERE source = ? AND url = ? AND sha256 = ? RETURNING parsed, parse_error, held",
        [run_id, meta["fetched_at"], meta["source"], url, meta["sha256"]]).fetchone()
    if seen is not None:
        parsed, parse_error, held = seen
        outcome.unchanged += 1
        if not parsed and required:
            outcome.errors.append(f"{url}: {parse_error}")
        if held is not None:  # served again, still awaiting review: still not applied
            outcome.held.append(f"{url}: {held}")
            return
        outcome.observations += con.execute(
            "SELECT (SELECT count(*) FROM observations WHERE source = $1 AND url = $2 AND document_sha256 = $3)"
            " + (SELECT count(*) FROM benchmark_observations WHERE source = $1 AND url = $2 AND document_sha256 = $3)",
            [meta["source"], url, meta["sha256"]]).fetchone()[0]
        return
    size, bound = (folder / "bodies" / meta["sha256"]).stat().st_size, policy(meta["source"]).max_document_bytes
    if size > bound:  # not parsed, not stored: the bound is there so that a flood never reaches either
        (outcome.errors if required else outcome.skipped).append(
            f"{url}: the document is {size:,} bytes, above {meta['source']}'s bound of {bound:,} "
            "(max_document_bytes in pipeline/sources.yaml)")
        return
    doc = Document(body=(folder / "bodies" / meta["sha256"]).read_bytes(), data_date=meta.get("data_date"),
                   **{k: meta[k] for k in ("source", "url", "fetched_at", "status", "content_type", "as_of", "sha256")})
    try:
        from pipeline.sources import extract  # here: the extractors (and bs4) load only when a document does

        result, error = extract(doc), None
    except SourceError as exc:
        result, error = None, exc.reason
        if meta.get("redirected_to"):
            error = f"{error} (redirected to {meta['redirected_to']})"
    if result is not None and not result.usable and result.rejections:
        # every row was rejected: the rejections are kept, the document does not become current
        error = (f"no usable rows: {len(result.rejections)} rejected "
                 f"(first: {result.rejections[0].field}: {result.rejections[0].reason})")
    if error is not None:
        (outcome.errors if required else outcome.skipped).append(f"{url}: {error}")
    held = _shrunk(con, doc, result) if result is not None and error is None else None
    if held is not None:
        outcome.held.append(f"{url}: {held}")
    _store(con, run_id, doc, result, error, held)
    if result is not None:
        outcome.observations += 0 if held else result.usable
        outcome.rejected += len(result.rejections)


def stated_count(result: Extraction) -> int:
    """How many models/routes a document states: distinct (model, provider) among its observations,
    and distinct models among its benchmark scores."""
    return (len({(o.model_id, o.provider_id) for o in result.observations})
            + len({b.model_id for b in result.benchmarks}))


ACCEPTED_COUNT_SQL = """
WITH accepted AS (SELECT sha256 FROM current_documents WHERE source = $1 AND url = $2)
SELECT (SELECT count(*) FROM (SELECT DISTINCT model_id, provider_id FROM observations
                              WHERE source = $1 AND url = $2 AND document_sha256 IN (FROM accepted)))
     + (SELECT count(DISTINCT model_id) FROM benchmark_observations
        WHERE source = $1 AND url = $2 AND document_sha256 IN (FROM accepted))
"""


def _shrunk(con: duckdb.DuckDBPyConnection, doc: Document, result: Extraction) -> str | None:
    """Why a new document is held, or None: it states fewer than `hold_below` (pipeline/sources.yaml)
    of the models/routes its URL's last accepted document stated (a broken publish, not growth), and
    that one stated at least `hold_from`."""
    rule = policy(doc.source)
    share = rule.hold_below
    accepted = con.execute(ACCEPTED_COUNT_SQL, [doc.source, doc.url]).fetchone()[0]
    stated = stated_count(result)
    if not accepted or accepted < rule.hold_from or stated >= share * accepted:
        return None
    return (f"states {stated:,} models/routes, the last accepted document {accepted:,} "
            f"(fewer than {share:.0%}); `versus accept {doc.source}` applies it")


SNAPSHOT_FOLDER_SOURCE = {"models.dev": "modelsdev", "genai-prices": "genai_prices"}


def load_snapshot_files(con: duckdb.DuckDBPyConnection, run_id: int, folder: Path, fetched_at: datetime,
                        only: Iterable[str] | None = None) -> dict[str, SourceLoad]:
    """Load a snapshot's files without crawling (benchmarks and tests of later layers).

    Each file is spooled as its spider would have fetched it; the source is the file's top folder
    (the shared snapshots spell two of them differently). `only` limits the sources loaded; files of
    a source that has no extractor are left out. Returns each loaded source's outcome. Crawls go
    through `scrapers.crawl`.
    """
    import hashlib
    import tempfile

    from pipeline.sources import EXTRACTORS
    from scrapers.snapshot import Snapshot, SnapshotError

    snapshot = Snapshot(folder)
    wanted = set(only) if only is not None else set(EXTRACTORS)
    with tempfile.TemporaryDirectory() as tmp:
        spool, sources = Path(tmp), []
        for entry in snapshot.manifest.sources:
            top = entry.file.split("/")[0]
            source = SNAPSHOT_FOLDER_SOURCE.get(top, top)
            if source not in wanted:
                continue
            try:
                body, error = snapshot.read(entry), None
            except SnapshotError as exc:  # not the file the manifest recorded: that document fails
                body, error = b"", str(exc)
            sha = hashlib.sha256(body).hexdigest()
            (spool / source / "bodies").mkdir(parents=True, exist_ok=True)
            (spool / source / "bodies" / sha).write_bytes(body)
            with (spool / source / "documents.jsonl").open("a") as index:
                index.write(json.dumps({"source": source, "url": entry.url, "status": entry.status,
                                        "fetched_at": fetched_at.isoformat(), "content_type": entry.content_type,
                                        "as_of": entry.as_of, "data_date": snapshot.data_date,
                                        "required": True, "error": error, "sha256": sha}) + "\n")
            sources += [source] if source not in sources else []
        return {source: load_source(con, run_id, source, spool) for source in sources}
