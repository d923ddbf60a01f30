"""The nightly Prefect flow: the same refresh as `versus refresh`, each step a task."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from flows.refresh import RefreshOptions, TrafficProfile, refresh
from flows.steps import SOURCES, CrawlOutcome, crawl_errors, crawl_source, load_crawl
from flows.summary import summary_markdown
from warehouse.runs import record_source


class SourceFailed(RuntimeError):
    """A source's crawl or load failed; its task fails and the flow goes on."""


@task(task_run_name="crawl-{source}", cache_policy=NO_CACHE, retries=2,
      retry_delay_seconds=exponential_backoff(backoff_factor=10), retry_jitter_factor=0.5)
def crawl_task(source: str, spool: Path, snapshot: Path | None, record: Path | None,
               args: dict[str, str] | None, http_cache: Path | None = None) -> CrawlOutcome:
    """Crawl one source in a child process, its progress in the task's log; raising makes Prefect
    retry with backoff."""
    from flows.progress import PlainProgress

    crawl = crawl_source(source, spool, snapshot, record, args, http_cache=http_cache,
                         on_progress=PlainProgress(get_run_logger().info))
    errors = crawl_errors(crawl, spool)
    if errors:
        raise SourceFailed(f"{source}: {'; '.join(errors)[:500]}")
    return crawl


@task(task_run_name="load-{crawl.source}", cache_policy=NO_CACHE)
def load_task(con, run_id: int, crawl: CrawlOutcome, spool: Path):
    load = load_crawl(con, run_id, crawl, spool)
    record_source(con, run_id, load)
    if load.errors:
        raise SourceFailed(f"{load.source}: {'; '.join(load.errors)[:500]}")
    if load.status == "skipped":
        return Completed(name="Skipped", message=f"{load.source}: {load.reason}", data=load)
    if load.status == "held":
        return Completed(name="Held", message=f"{load.source}: {load.reason[:500]}", data=load)
    return load


class PrefectExecutor:
    """Runs the refresh's steps as Prefect tasks; crawls go to the flow's task runner (threads or Dask)."""

    def __init__(self, retry_delays: bool):
        self.retry_delays = retry_delays

    def crawl(self, sources, spool, options, args):
        crawl = crawl_task if self.retry_delays else crawl_task.with_options(retry_delay_seconds=0)
        futures = {s: crawl.submit(s, spool, options.snapshot, options.record, args, options.cache_dir)
                   for s in sources}
        outcomes = []
        for source, future in futures.items():
            state = future.wait() or future.state
            if state.is_completed():
                outcomes.append(future.result())
            else:  # failed after retries: the load step records why
                outcomes.append(CrawlOutcome(source, 0, 0.0, str(state.message)))
        return outcomes

    def load(self, con, run_id, crawl, spool):
        from warehouse.load import SourceLoad

        state = load_task(con, run_id, crawl, spool, return_state=True)
        if state.is_completed():
            return state.result()
        return SourceLoad(crawl.source, errors=[str(state.message)])

    def step(self, name, fn, *args):
        return task(fn, name=name, cache_policy=NO_CACHE)(*args)


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    where = Path(params["snapshot"]).name if params.get("snapshot") else "live"
    return f"nightly-{where}-{date.today().isoformat()}"


@flow(name="nightly_refresh", flow_run_name=_run_name, task_runner=ThreadPoolTaskRunner(max_workers=2),
      log_prints=True)
def nightly_refresh(db: str = "versus.duckdb", snapshot: str | None = None, sources: list[str] | None = None,
                    export_dir: str | None = None, export_formats: list[str] | None = None,
                    traffic: TrafficProfile | None = None, http_cache: str | None = None,
                    site_dir: str | None = None, export_to: list[str] | None = None):
    """Refresh every source, reconcile, regenerate comparisons, optionally export and build the site
    (`site_dir`); publish atomically.

    One source's failure fails its tasks and the run goes on with that source's last good data;
    the flow then ends Completed with the name 'Partial success'.
    """
    logger = get_run_logger()
    options = RefreshOptions(db=Path(db), snapshot=Path(snapshot) if snapshot else None,
                             sources=sources or SOURCES, export_dir=Path(export_dir) if export_dir else None,
                             export_formats=export_formats or ["parquet"], traffic=traffic or TrafficProfile(),
                             http_cache=Path(http_cache) if http_cache else None,
                             site_dir=Path(site_dir) if site_dir else None, export_to=export_to or [])
    report = refresh(options, progress=logger.info, executor=PrefectExecutor(retry_delays=snapshot is None))
    summary = summary_markdown(report)
    create_markdown_artifact(markdown=summary, key="versus-run-summary", description=f"versus run {report.run_id}")
    failed = [load.source for load in report.loads.values() if load.status == "failed"]
    skipped = [f"{load.source} ({load.reason})" for load in report.loads.values() if load.status == "skipped"]
    also = f"; skipped {', '.join(skipped)}" if skipped else ""
    held = [load.source for load in report.loads.values() if load.status == "held"]
    also += f"; held {', '.join(held)} (`versus accept SOURCE` applies)" if held else ""
    stale = [f"{h.source} ({h.stale})" for h in report.health if h.stale]
    also += f"; stale {', '.join(stale)}" if stale else ""
    if stale:
        logger.warning("stale sources: %s", "; ".join(stale))
    if report.export_failures:
        also += f"; export failed: {'; '.join(report.export_failures)}"
    ran = len(report.loads) - len(skipped)
    if report.status == "ok":
        return Completed(message=f"run {report.run_id}: all {ran} sources that ran ok{also}", data=report.run_id)
    if report.status == "partial":
        return Completed(name="Partial success", data=report.run_id,
                         message=f"run {report.run_id}: failed sources {', '.join(failed) or 'none'}; the rest loaded{also}")
    return Failed(message=f"run {report.run_id}: no source loaded (failed: {', '.join(failed) or 'none'}){also}")


def with_task_runner(dask_address: str | None = None, local_dask: bool = False):
    """The flow with its task runner chosen: threads by default, or Dask for a cluster."""
    if not (dask_address or local_dask):
        return nightly_refresh
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(address=dask_address) if dask_address else DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
    return nightly_refresh.with_options(task_runner=runner)


def nightly_deployment(cron: str = "0 3 * * *", timezone: str = "UTC", parameters: dict | None = None):
    """The nightly deployment that `versus schedule` serves (nothing here waits for a clock)."""
    from prefect.schedules import Cron

    return nightly_refresh.to_deployment(
        name="versus-nightly", schedules=[Cron(cron, timezone=timezone)], parameters=parameters or {},
        description="versus nightly refresh", tags=["versus"], concurrency_limit=1)
