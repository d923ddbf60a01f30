"""`versus export --to DESTINATION`: the analyst tables into another system through dlt, incrementally.

Each table gets a key that exists: `versus_key`, the md5 of its natural key columns (KEYS; a NULL
part counts as a value, so model_aliases' catalogue rows with no provider_id still have one),
suffixed `#n` for the n-th row sharing a natural key (ordered by row hash), and `merge` on it.
"Unchanged" is decided here, before dlt: every row's hash (`versus_row_hash`: DuckDB's 64-bit
`hash()` of the whole row, in hex) is compared with the rows last loaded to that destination, kept as Parquet beside dlt's
working folder (`<warehouse>.dlt/<pipeline>.rows/`). Only new, changed and disappeared rows are
sent; a table with none is not sent at all. A disappeared row is sent once more with
`versus_removed = true` (marked, never deleted). `versus_run_id` and `versus_as_of` name the
warehouse run (and its data date) in which the exporter first saw the row as it is now.

Filesystem destinations (`file:///DIR`, `s3://...`) cannot merge plain Parquet: there a changed
table is replaced whole (`replace`, removed rows kept marked), an unchanged one left alone.
A column whose type changed fails the export before anything is written (dlt's `data_type`
contract frozen), naming the table and column; new columns arrive by dlt's schema evolution.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

# Every analyst table, with the natural key columns its `versus_key` is made of.
KEYS: dict[str, tuple[str, ...]] = {
    "providers": ("provider_id",),
    "models": ("model_id",),
    "model_aliases": ("source", "source_id", "provider_id"),
    "model_capabilities": ("model_id", "capability"),
    "offerings": ("model_id", "provider_id", "source", "route"),
    "offering_prices": ("model_id", "provider_id", "source", "route", "component", "service_tier",
                        "threshold_tokens", "threshold_inclusive", "hours", "starts_on", "valid_from"),
    "price_history": ("model_id", "provider_id", "source", "route", "valid_from"),
    "comparisons": ("model_a", "model_b"),
    "comparison_profiles": ("profile",),
    "benchmarks": ("benchmark_id",),
    "benchmark_results": ("model_id", "benchmark_id", "setting", "harness", "source", "source_id", "source_row",
                          "valid_from"),
    "benchmark_scores": ("model_id", "benchmark_id", "harness", "setting"),
    "conflicts": ("entity", "field"),
    "lineage": ("entity_type", "entity", "route", "field", "source", "source_provider_id", "source_id", "url",
                "document_sha256", "observed_field"),
    "runs": ("run_id",),
    "run_sources": ("run_id", "source"),
}
STAMPS = ("versus_key", "versus_row_hash", "versus_run_id", "versus_as_of", "versus_removed")
MEMORY_LIMIT = "1GB"  # DuckDB's share while comparing rows; it spills beyond
FILESYSTEM_SCHEMES = ("file", "s3", "gs", "gcs", "az", "abfss", "sftp")


class ExportError(RuntimeError):
    """The export cannot proceed; the message names the destination (masked) and what failed."""


@dataclass
class TableExport:
    table: str
    rows: int = 0      # rows in the warehouse now
    sent: int = 0      # rows sent to the destination
    changed: int = 0   # of those: new or changed
    removed: int = 0   # of those: newly marked removed


@dataclass
class ExportReport:
    destination: str   # masked
    dataset: str
    tables: list[TableExport] = field(default_factory=list)
    load_ids: list[str] = field(default_factory=list)
    resumed: bool = False  # a load package left by an interrupted export was completed first

    @property
    def sent(self) -> list[TableExport]:
        return [t for t in self.tables if t.sent]

    def lines(self) -> list[str]:
        unchanged = [t.table for t in self.tables if not t.sent]
        out = [f"exported to {self.destination} (dataset {self.dataset}): "
               f"{sum(t.sent for t in self.tables):,} rows sent in {len(self.sent)} tables"]
        out += [f"  {t.table}: {t.sent:,} sent ({t.changed:,} new or changed, {t.removed:,} marked removed) "
                f"of {t.rows:,}" for t in self.sent]
        if unchanged:
            out.append(f"  unchanged, not sent: {', '.join(unchanged)}")
        if self.resumed:
            out.append("  completed the load package an interrupted export left")
        return out


# --- destinations ----------------------------------------------------------------------------

def mask_url(url: str) -> str:
    """The URL with its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return url.replace(parts.netloc, f"{netloc[0].split(':', 1)[0]}:***@{netloc[1]}", 1)


def scrub(text: str, url: str) -> str:
    """`text` with the URL's password (as written and decoded) replaced by ***."""
    parts = urlsplit(url)
    if parts.password:
        from urllib.parse import unquote

        for secret in {parts.password, unquote(parts.password)}:
            text = text.replace(secret, "***")
    return text


def _destination(url: str):
    """(dlt destination, is_filesystem) for a URL or a bare dlt destination name."""
    import dlt

    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme in ("postgresql", "postgres"):
        return dlt.destinations.postgres(credentials=url), False
    if scheme == "duckdb":
        return dlt.destinations.duckdb(credentials=url), False
    if scheme in FILESYSTEM_SCHEMES:
        return dlt.destinations.filesystem(bucket_url=url), True
    if not scheme and re.fullmatch(r"[a-z_]+", url):
        # A dlt destination by name (bigquery, snowflake, motherduck, databricks...): its credentials
        # come from the environment or .dlt/secrets.toml, the way dlt documents for each.
        from dlt.common.destination.reference import Destination

        dest = Destination.from_reference(url)
        return dest, dest.destination_type.endswith("filesystem")
    raise ExportError(f"cannot export to {mask_url(url)!r}: use postgresql://..., duckdb:///FILE, file:///DIR "
                      "(or another dlt destination URL or name)")


def working_dir(db: str | Path) -> Path:
    """dlt's pipelines_dir: beside the warehouse (`<warehouse>.dlt`), not in the home directory."""
    db = Path(db).resolve()
    return db.parent / f"{db.name}.dlt"


def pipeline_name(url: str, dataset: str) -> str:
    """One dlt pipeline per destination and dataset (named without the password)."""
    return "versus_" + hashlib.sha256(f"{mask_url(url)}|{dataset}".encode()).hexdigest()[:12]


# --- what changed ------------------------------------------------------------------------------

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _stage(con: duckdb.DuckDBPyConnection, table: str, previous: Path | None, run_id: int | None,
           as_of) -> TableExport:
    """Build temp tables `next_rows` (what the destination holds after this export) and
    `sent_rows` (what must be sent for it), comparing the warehouse with `previous` rows."""
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'w' AND table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]
    if not columns:
        raise ExportError(f"the warehouse has no table {table!r}")
    key = ", ".join(_q(c) for c in KEYS[table])
    cols = ", ".join(_q(c) for c in columns)

    def keyed(select: str) -> str:
        return f"""SELECT {select}, md5(to_json([{', '.join(f'CAST({_q(c)} AS VARCHAR)' for c in KEYS[table])}])::VARCHAR)
                   || CASE WHEN n > 1 THEN '#' || n ELSE '' END AS versus_key
            FROM (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY versus_row_hash) AS n
                  FROM (SELECT {cols}, printf('%016x', hash(t)) AS versus_row_hash FROM w.main.{_q(table)} AS t))"""

    if previous is not None:  # unchanged? decided on keys and hashes alone, the cheap way
        rows, differ = con.execute(f"""
            SELECT count(c.versus_key), count(*) FILTER (p.versus_key IS NULL
                       OR (c.versus_key IS NULL AND NOT p.versus_removed)
                       OR (c.versus_key IS NOT NULL AND (p.versus_row_hash <> c.versus_row_hash OR p.versus_removed)))
            FROM ({keyed('versus_row_hash')}) c
            FULL JOIN (SELECT versus_key, versus_row_hash, versus_removed FROM read_parquet({_lit(str(previous))})) p
              ON p.versus_key = c.versus_key""").fetchone()
        if not differ:
            return TableExport(table, rows=rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE cur AS {keyed('* EXCLUDE (n)')}")
    run_sql = f"CAST({run_id if run_id is not None else 'NULL'} AS BIGINT)"
    as_of_sql = f"CAST({_lit(str(as_of)) if as_of else 'NULL'} AS DATE)"
    if previous is None:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE next_rows AS
            SELECT *, {run_sql} AS versus_run_id, {as_of_sql} AS versus_as_of, false AS versus_removed FROM cur""")
        con.execute("CREATE OR REPLACE TEMP TABLE sent_rows AS SELECT * FROM next_rows")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW prev AS SELECT * FROM read_parquet({_lit(str(previous))})")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE next_rows AS
            SELECT c.*,
                   CASE WHEN p.versus_row_hash = c.versus_row_hash AND NOT p.versus_removed THEN p.versus_run_id
                        ELSE {run_sql} END AS versus_run_id,
                   CASE WHEN p.versus_row_hash = c.versus_row_hash AND NOT p.versus_removed THEN p.versus_as_of
                        ELSE {as_of_sql} END AS versus_as_of,
                   false AS versus_removed
            FROM cur c LEFT JOIN (SELECT versus_key, versus_row_hash, versus_run_id, versus_as_of, versus_removed
                                  FROM prev) p USING (versus_key)""")
        # Rows gone from the warehouse: kept, marked removed (stamped by the run that first missed them).
        con.execute(f"""INSERT INTO next_rows BY NAME
            SELECT * REPLACE (CASE WHEN versus_removed THEN versus_run_id ELSE {run_sql} END AS versus_run_id,
                              CASE WHEN versus_removed THEN versus_as_of ELSE {as_of_sql} END AS versus_as_of,
                              true AS versus_removed)
            FROM prev WHERE versus_key NOT IN (SELECT versus_key FROM cur)""")
        con.execute("""CREATE OR REPLACE TEMP TABLE sent_rows AS
            SELECT n.* FROM next_rows n
            LEFT JOIN (SELECT versus_key, versus_row_hash, versus_removed FROM prev) p USING (versus_key)
            WHERE p.versus_key IS NULL OR p.versus_row_hash <> n.versus_row_hash
               OR p.versus_removed <> n.versus_removed""")
    rows, = con.execute("SELECT count(*) FROM cur").fetchone()
    sent, removed = con.execute("SELECT count(*), count(*) FILTER (versus_removed) FROM sent_rows").fetchone()
    return TableExport(table, rows=rows, sent=sent, changed=sent - removed, removed=removed)


# --- the export --------------------------------------------------------------------------------

def export_to(db: str | Path, url: str, dataset: str = "versus", tables: tuple[str, ...] | None = None,
              progress: Callable[[str], None] | None = None) -> ExportReport:
    """Export the analyst tables of the warehouse `db` to `url` (see module docstring)."""
    import dlt
    from dlt.pipeline.exceptions import PipelineStepFailed

    progress = progress or (lambda line: None)
    destination, filesystem = _destination(url)
    report = ExportReport(mask_url(url), dataset)
    name = pipeline_name(url, dataset)
    workdir = working_dir(db)
    rows_dir, pending_dir = workdir / f"{name}.rows", workdir / f"{name}.pending"
    # Every row dlt normalizes names the load that wrote it (`_dlt_load_id`, joining `_dlt_loads`);
    # PostgreSQL's rows arrive by COPY from files DuckDB wrote, which dlt does not rewrite.
    # dlt's warnings about Arrow hints it reconciled itself are noise here; its errors stay.
    dlt.config["runtime.log_level"] = "ERROR"
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = _file_format(destination, filesystem) != "csv"
    pipeline = dlt.pipeline(name, destination=destination, dataset_name=dataset, pipelines_dir=str(workdir),
                            progress=None)
    try:
        report.resumed = _finish_interrupted(pipeline, rows_dir, pending_dir)
        if not Path(db).exists():
            raise ExportError(f"no warehouse at {db}")
        # The comparison runs in DuckDB within a memory bound, spilling to the working folder.
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(workdir / "duckdb.tmp"),
                                     "preserve_insertion_order": False})
        try:
            con.execute(f"ATTACH {_lit(str(Path(db).resolve()))} AS w (READ_ONLY)")
            run_id, as_of = _last_run(con)
            shutil.rmtree(pending_dir, ignore_errors=True)
            (pending_dir / "sent").mkdir(parents=True)
            resources = []
            for table in tables or tuple(KEYS):
                previous = rows_dir / f"{table}.parquet"
                t = _stage(con, table, previous if previous.exists() else None, run_id, as_of)
                report.tables.append(t)
                if not t.sent:
                    continue
                con.execute(f"COPY next_rows TO {_lit(str(pending_dir / f'{table}.parquet'))} "
                            "(FORMAT parquet, COMPRESSION zstd)")
                csv = _file_format(destination, filesystem) == "csv"
                sent = pending_dir / "sent" / f"{table}.{'csv' if csv else 'parquet'}"
                hints, schema = _write_sent(con, "next_rows" if filesystem else "sent_rows", sent,
                                            _native_nested(destination))
                data = _imported(sent, t.sent, schema) if csv else _batches(sent)
                resources.append(dlt.resource(data, name=table, table_name=table, primary_key="versus_key",
                                              columns=hints,
                                              write_disposition="replace" if filesystem else "merge",
                                              schema_contract={"tables": "evolve", "columns": "evolve",
                                                               "data_type": "freeze"}))
            con.execute("DROP TABLE IF EXISTS cur; DROP TABLE IF EXISTS next_rows; DROP TABLE IF EXISTS sent_rows")
        finally:
            con.close()
        if not resources:
            shutil.rmtree(pending_dir, ignore_errors=True)
            progress(report.lines()[0])
            return report
        source = dlt.source(_resources, name="versus")(resources)
        extract = pipeline.extract(source, loader_file_format=_file_format(destination, filesystem))
        report.load_ids = list(extract.loads_ids)
        (pending_dir / "LOAD_IDS").write_text("\n".join(report.load_ids))
        pipeline.normalize()
        pipeline.load(raise_on_failed_jobs=True)
        _promote(rows_dir, pending_dir)
    except PipelineStepFailed as exc:
        raise ExportError(scrub(f"export to {report.destination} failed at dlt's {exc.step} step: "
                                f"{_reason(exc)}", url)) from None
    except ExportError:
        raise
    except Exception as exc:  # a driver's error may quote the connection string: never its password
        raise ExportError(scrub(f"export to {report.destination} failed: {type(exc).__name__}: {exc}", url)) from None
    for line in report.lines():
        progress(line)
    return report


def _native_nested(destination) -> bool:
    """Whether the destination takes Arrow lists and structs as they are (DuckDB, MotherDuck, Parquet
    files); elsewhere (PostgreSQL...) they travel as JSON text typed `json` (PostgreSQL: jsonb)."""
    kind = destination.destination_type.rsplit(".", 1)[-1]
    return kind in ("duckdb", "motherduck", "filesystem")


def _file_format(destination, filesystem: bool) -> str | None:
    """Parquet files for a filesystem; PostgreSQL loads CSV through COPY (much faster than INSERTs)."""
    if filesystem:
        return "parquet"
    return "csv" if destination.destination_type.endswith("postgres") else None


def _write_sent(con: duckdb.DuckDBPyConnection, relation: str, path: Path, native_nested: bool):
    """Write the rows to send (Parquet, or CSV for PostgreSQL's COPY); returns the dlt column hints
    they need and their Arrow schema (every column nullable but the key: dlt counts a change of
    nullability as a change of type)."""
    import pyarrow as pa

    types = con.execute(f"DESCRIBE {relation}").fetchall()
    nested = [] if native_nested else [n for n, t, *_ in types if t.endswith("]") or t.startswith(("STRUCT", "MAP"))]
    select = ", ".join(f"CAST(to_json({_q(n)}) AS VARCHAR) AS {_q(n)}" if n in nested else _q(n)
                       for n, *_ in types)
    options = "(FORMAT csv, HEADER)" if path.suffix == ".csv" else "(FORMAT parquet, COMPRESSION zstd)"
    con.execute(f"COPY (SELECT {select} FROM {relation}) TO {_lit(str(path))} {options}")
    empty = con.sql(f"SELECT {select} FROM {relation} LIMIT 0").to_arrow_table()
    schema = pa.schema([f.with_nullable(f.name != "versus_key") for f in empty.schema])
    return {n: {"data_type": "json"} for n in nested}, schema


def _imported(path: Path, rows: int, schema):
    """A CSV file DuckDB wrote, handed to dlt as it is (no normalizing); its columns from `schema`."""
    import dlt

    yield dlt.mark.with_file_import(str(path), "csv", rows, hints=schema.empty_table())


def _batches(path: Path, size: int = 50_000):
    """The rows to send in Arrow batches, so that memory holds one batch at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    # Every column nullable but the key, whatever the Parquet writer concluded from this batch of rows:
    # dlt counts a change of nullability as a change of type.
    schema = pa.schema([f.with_nullable(f.name != "versus_key") for f in file.schema_arrow])
    for batch in file.iter_batches(batch_size=size):
        yield pa.Table.from_batches([batch]).cast(schema)


def _resources(resources: list):
    return resources


def _reason(exc: Exception) -> str:
    """dlt's own words for why a step failed; a frozen data type named by table and column."""
    from dlt.common.schema.exceptions import DataValidationError

    cause = exc.__cause__ or exc.__context__
    while cause is not None and not isinstance(cause, DataValidationError) and (cause.__cause__ or cause.__context__):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, DataValidationError) and cause.column_name:
        return (f"table {cause.table_name}, column {cause.column_name}: its type changed in the warehouse and "
                f"the destination's column cannot take it ({cause}); nothing was written")
    return str(cause or exc)


def _last_run(con: duckdb.DuckDBPyConnection):
    """The warehouse's latest run id and its data date (the as-of rows are stamped with)."""
    run_id, = con.execute("SELECT max(run_id) FROM w.main.runs").fetchone()
    as_of, = con.execute("SELECT CAST(timezone('UTC', max(effective_at)) AS DATE) FROM w.main.current_documents"
                         ).fetchone()
    return run_id, as_of


def _promote(rows_dir: Path, pending_dir: Path) -> None:
    """The loaded rows become the rows the next export compares with."""
    rows_dir.mkdir(parents=True, exist_ok=True)
    for path in pending_dir.glob("*.parquet"):
        os.replace(path, rows_dir / path.name)
    shutil.rmtree(pending_dir, ignore_errors=True)


def _finish_interrupted(pipeline, rows_dir: Path, pending_dir: Path) -> bool:
    """Complete what an interrupted export left: dlt's pending load packages first, then, if the
    package the pending rows were written for is loaded, those rows become the compared ones."""
    resumed = False
    # Killed between dlt's (atomic) move of a normalized package and its removal of the extracted
    # one: the normalized package is whole, the extracted copy would be normalized twice.
    work = Path(pipeline.working_dir)
    for extracted in (work / "normalize" / "extracted").glob("*"):
        if (work / "load" / "normalized" / extracted.name).is_dir():
            shutil.rmtree(extracted)
            shutil.rmtree(work / "load" / "new" / extracted.name, ignore_errors=True)
    if pipeline.has_pending_data:
        pipeline.normalize()
        pipeline.load(raise_on_failed_jobs=True)
        resumed = True
    ids_file = pending_dir / "LOAD_IDS"
    if ids_file.exists():
        ids = [i for i in ids_file.read_text().split() if i]
        loaded = set(pipeline.list_completed_load_packages())
        if ids and all(i in loaded for i in ids):
            _promote(rows_dir, pending_dir)
            return resumed
    shutil.rmtree(pending_dir, ignore_errors=True)
    return resumed
