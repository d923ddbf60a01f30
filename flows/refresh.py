"""One refresh: crawl, load, reconcile, compare, publish. `versus refresh` runs it with plain calls;
the Prefect flow runs the very same function with an executor that makes each step a task."""
from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import duckdb
from pydantic import BaseModel

from flows.steps import (AGGREGATOR_SOURCES, CARD_SOURCES, SOURCES, CrawlOutcome, RefreshReport, card_repos,
                         crawl_source, load_crawl, now)
from records.schema import TrafficProfile
from warehouse.db import connect
from warehouse.load import SourceLoad
from warehouse.publish import staged_warehouse
from warehouse.runs import finish_run, record_source, start_run


class RefreshOptions(BaseModel):
    db: Path = Path("versus.duckdb")
    snapshot: Path | None = None
    record: Path | None = None
    sources: list[str] = SOURCES
    wait_seconds: float = 0
    parallel_crawls: int = 2
    http_cache: Path | None = None  # live crawls' HTTP cache; default: beside the warehouse
    use_http_cache: bool = True
    export_dir: Path | None = None
    export_formats: list[str] = ["parquet"]
    export_to: list[str] = []  # dlt destinations loaded after publishing (warehouse/dlt_export.py)
    export_dataset: str = "versus"
    site_dir: Path | None = None
    traffic: TrafficProfile = TrafficProfile()

    @property
    def cache_dir(self) -> Path | None:
        """Where live crawls keep responses for conditional re-fetches (`<warehouse>.httpcache`)."""
        if self.snapshot or not self.use_http_cache:
            return None
        return self.http_cache or self.db.parent / f"{self.db.name}.httpcache"


class PlainExecutor:
    """Runs the steps as ordinary calls; crawls in parallel child processes."""

    def __init__(self, parallel: int = 2, on_progress: Callable[[dict], None] | None = None):
        self.parallel, self.on_progress = parallel, on_progress

    def crawl(self, sources: list[str], spool: Path, options: RefreshOptions,
              args: dict[str, str] | None) -> list[CrawlOutcome]:
        with ThreadPoolExecutor(max(1, self.parallel)) as pool:
            return list(pool.map(lambda s: crawl_source(s, spool, options.snapshot, options.record, args,
                                                        http_cache=options.cache_dir, on_progress=self.on_progress),
                                 sources))

    def load(self, con: duckdb.DuckDBPyConnection, run_id: int, crawl: CrawlOutcome, spool: Path) -> SourceLoad:
        load = load_crawl(con, run_id, crawl, spool)
        record_source(con, run_id, load)
        return load

    def step(self, name: str, fn: Callable, *args):
        return fn(*args)


def refresh(options: RefreshOptions, progress: Callable[[str], None] = print, executor=None,
            crawl_progress: Callable[[dict], None] | None = None) -> RefreshReport:
    """Build the next warehouse from a copy of the current one and publish it atomically.
    `crawl_progress` receives each crawl's progress events (flows/progress.py)."""
    executor = executor or PlainExecutor(options.parallel_crawls, crawl_progress)
    unknown = sorted(set(options.sources) - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    snapshot = str(options.snapshot) if options.snapshot else None
    with staged_warehouse(options.db, options.wait_seconds) as staged, tempfile.TemporaryDirectory() as tmp:
        spool = Path(tmp)
        with connect(staged) as con:
            report = _run(con, options, spool, snapshot, executor, progress)
    progress(f"run {report.run_id}: {report.status}; published {options.db}")
    if options.export_dir:
        from warehouse.export import export_tables

        for fmt in options.export_formats:
            report.exported += executor.step(f"export-{fmt}", export_tables, options.db, options.export_dir, fmt)
        progress(f"exported {len(report.exported)} files to {options.export_dir}")
    for url in options.export_to:
        _export_destination(executor, options, url, report, progress)
    if options.site_dir:
        from warehouse.site.builder import build_site_file

        report.site = executor.step("site", build_site_file, options.db, options.site_dir, progress)
    return report


def _export_destination(executor, options: RefreshOptions, url: str, report: RefreshReport, progress) -> None:
    """Load one dlt destination from the published warehouse, as its own step: a failure fails that
    step only (the next run completes what it left), and is reported with the URL masked."""
    from warehouse.dlt_export import export_to, mask_url, scrub

    try:
        result = executor.step("export-to", export_to, options.db, url, options.export_dataset)
    except Exception as exc:  # noqa: BLE001 - the refresh is published; the export reports and goes on
        message = scrub(str(exc) if mask_url(url) in str(exc) else f"export to {mask_url(url)} failed: {exc}", url)
        report.export_failures.append(message)
        progress(message)
        return
    lines = result.lines()
    report.exported.append(lines[0])
    for line in lines:
        progress(line)


def _run(con, options: RefreshOptions, spool: Path, snapshot: str | None, executor, progress) -> RefreshReport:
    """The steps inside the staged warehouse: crawl and load each phase, reconcile, compare."""
    from warehouse.comparisons import ComparisonSettings, refresh_comparisons
    from warehouse.audit import audit_counts
    from warehouse.reconcile import reconcile
    from warehouse.runs import data_date, source_health

    from scrapers.snapshot import Snapshot

    # the run's as-of, where source ages are measured: a replay's snapshot date; live, now
    as_of = Snapshot(options.snapshot).data_date if options.snapshot else None
    report = RefreshReport(run_id=start_run(con, snapshot, as_of), snapshot=snapshot)
    progress(f"run {report.run_id}: refreshing {', '.join(options.sources)} from {snapshot or 'the live sources'}")

    def timed(name: str, fn: Callable, *args):
        started = time.monotonic()
        try:
            return fn(*args)
        finally:
            report.timings[name] = time.monotonic() - started

    def crawl_and_load(sources: list[str], args: dict[str, str] | None = None) -> None:
        for crawl in executor.crawl(sources, spool, options, args):
            load = timed(f"load {crawl.source}", executor.load, con, report.run_id, crawl, spool)
            report.loads[crawl.source] = load
            report.timings[f"crawl {crawl.source}"] = crawl.seconds
            report.ran_on[crawl.source] = crawl.ran_on
            if load.status == "skipped":
                progress(f"  {crawl.source}: skipped ({load.reason})")
                continue
            detail = f"{load.documents} documents, {load.observations} observations, {load.rejected} rejected"
            progress(f"  {crawl.source}: {load.status} ({detail}, {crawl.seconds:.1f}s)"
                     + (f": {load.reason[:300]}" if load.errors else ""))

    crawl_and_load([s for s in options.sources if s in AGGREGATOR_SOURCES])
    cards = [s for s in options.sources if s in CARD_SOURCES]
    if cards:
        crawl_and_load(cards, {"repos": ",".join(card_repos(con))})
    progress("reconciling sources")
    report.reconcile = timed("reconcile", executor.step, "reconcile", reconcile, con, report.run_id, now())
    progress("regenerating comparisons")
    settings = ComparisonSettings(**options.traffic.model_dump())
    # last_reviewed: in a replay, the data's date (so a replay gives the same pages on any day); live, today
    reviewed_on = (data_date(con) if snapshot else None) or date.today()
    report.comparisons = timed("compare", executor.step, "compare", refresh_comparisons, con, report.run_id,
                               reviewed_on, settings)
    report.audit = timed("audit", executor.step, "audit", audit_counts, con)
    report.status = finish_run(con, report.run_id)
    report.health = source_health(con)
    return report
