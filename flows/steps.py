"""The refresh, step by step. `versus refresh` and the Prefect flow call these same functions."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from scrapers import PROGRESS_MARKER
from warehouse.load import SourceLoad, load_source

AGGREGATOR_SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices", "pricing_pages", "lmarena", "aider"]
CARD_SOURCES = ["huggingface"]  # crawled second: which repos to fetch comes from the first phase
SOURCES = AGGREGATOR_SOURCES + CARD_SOURCES


@dataclass
class CrawlOutcome:
    source: str
    returncode: int
    seconds: float
    stderr_tail: str = ""
    skipped: str | None = None  # why the source was not fetched at all (the snapshot holds none of it)
    ran_on: str = ""  # where the crawl step ran: a Dask worker's address, or this process and thread
    progress: dict = field(default_factory=dict)  # the child's last progress line (scrapers/progress.py)


NOT_IN_SNAPSHOT = "not in this snapshot"


@dataclass
class RefreshReport:
    run_id: int
    snapshot: str | None
    status: str = "running"
    loads: dict[str, SourceLoad] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    ran_on: dict[str, str] = field(default_factory=dict)  # source -> where its crawl ran
    reconcile: object | None = None
    comparisons: object | None = None
    audit: dict[str, int] | None = None  # discrepancies per kind (warehouse.audit)
    exported: list[str] = field(default_factory=list)
    export_failures: list[str] = field(default_factory=list)  # dlt destinations that failed (URLs masked)
    site: object | None = None  # warehouse.site.SiteReport when the run built the site
    health: list = field(default_factory=list)  # warehouse.runs.SourceHealth per source, at the run's as-of


def crawl_source(source: str, spool: Path, snapshot: Path | None = None, record: Path | None = None,
                 spider_args: dict[str, str] | None = None, http_cache: Path | None = None,
                 settings: dict[str, str] | None = None,
                 on_progress: Callable[[dict], None] | None = None) -> CrawlOutcome:
    """Run one spider in a child process (Twisted's reactor cannot restart in this one).

    The source's spool folder is emptied first, so a retried crawl starts clean. The child's
    progress lines (scrapers/progress.py) go to `on_progress` as they come; the rest of its stderr
    is kept for the failure message.
    """
    shutil.rmtree(spool / source, ignore_errors=True)
    cmd = [sys.executable, "-m", "scrapers.crawl", source, "--spool", str(spool)]
    if snapshot:
        cmd += ["--snapshot", str(snapshot)]
    if record:
        cmd += ["--record", str(record)]
    if http_cache:
        cmd += ["--http-cache", str(http_cache)]
    for name, value in (spider_args or {}).items():
        cmd += ["-a", f"{name}={value}"]
    for name, value in (settings or {}).items():
        cmd += ["-s", f"{name}={value}"]
    started = time.monotonic()
    other: deque[str] = deque(maxlen=200)
    last: dict = {}
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        for line in proc.stderr:
            progress = _progress(line)
            if progress is None:
                other.append(line.rstrip("\n"))
                continue
            last = progress
            if on_progress is not None:
                on_progress(progress)
    tail = "\n".join("\n".join(other).strip().splitlines()[-5:])
    outcome = CrawlOutcome(source, proc.returncode, time.monotonic() - started, tail, ran_on=ran_on(),
                           progress=last)
    if snapshot and proc.returncode == 0 and not snapshot_answered(spool, source):
        outcome.skipped = NOT_IN_SNAPSHOT
    return outcome


def _progress(line: str) -> dict | None:
    if not line.startswith('{"' + PROGRESS_MARKER):
        return None
    try:
        return json.loads(line)[PROGRESS_MARKER]
    except (ValueError, KeyError, TypeError):
        return None


def snapshot_answered(spool: Path, source: str) -> int:
    """How many of a replayed crawl's requests the snapshot's manifest answered (robots.txt aside)."""
    stats = spool / source / "crawl.json"
    return json.loads(stats.read_text()).get("snapshot/answered", 0) if stats.is_file() else 0


def crawl_errors(crawl: CrawlOutcome, spool: Path) -> list[str]:
    """Why a crawl failed: it could not run, or a required document could not be fetched.
    A source the snapshot holds nothing of did not fail: it was skipped."""
    if crawl.skipped:
        return []
    if crawl.returncode != 0:
        return [f"crawl exited {crawl.returncode}: {crawl.stderr_tail}"]
    index = spool / crawl.source / "documents.jsonl"
    if not index.is_file():
        return []
    docs = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()]
    return [f"{d['url']}: {d['error']}" for d in docs if d.get("error") and d.get("required", True)]


def load_crawl(con: duckdb.DuckDBPyConnection, run_id: int, crawl: CrawlOutcome, spool: Path) -> SourceLoad:
    """Land a crawl's documents; a crawl that could not run fails its source, nothing else.
    A skipped source lands nothing and keeps its last good data."""
    if crawl.skipped:
        return SourceLoad(crawl.source, skipped_reason=crawl.skipped)
    if crawl.returncode != 0:
        return SourceLoad(crawl.source, errors=crawl_errors(crawl, spool))
    return load_source(con, run_id, crawl.source, spool)


def card_repos(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Hugging Face repos to crawl: those the sources link to (`hugging_face_id`) and those
    `pipeline/aliases.yaml` links (`hugging_face_repos`), once each whatever the case (the alias
    file's spelling first); the spider adds its configured list."""
    from pipeline.identity import alias_file

    linked = [row[0] for row in con.execute(
        "SELECT DISTINCT value_text FROM current_observations WHERE field = 'hugging_face_id'").fetchall()]
    repos: dict[str, str] = {}
    for repo in [*alias_file().hugging_face_repos.values(), *linked]:
        repos.setdefault(repo.lower(), repo)
    return sorted(repos.values())


def ran_on() -> str:
    """Where the calling task runs: `dask worker ADDRESS` inside a Dask worker, else `pid N, thread T`."""
    try:
        from distributed import get_worker

        return f"dask worker {get_worker().address}"
    except (ImportError, ValueError):
        return f"pid {os.getpid()}, thread {threading.current_thread().name}"


def now() -> datetime:
    return datetime.now(timezone.utc)
