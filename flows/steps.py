"""The refresh, step by step. `versus refresh` and the Prefect flow call these same functions."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

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


@dataclass
class RefreshReport:
    run_id: int
    snapshot: str | None
    status: str = "running"
    loads: dict[str, SourceLoad] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    reconcile: object | None = None
    comparisons: object | None = None
    exported: list[str] = field(default_factory=list)


def crawl_source(source: str, spool: Path, snapshot: Path | None = None, record: Path | None = None,
                 spider_args: dict[str, str] | None = None) -> CrawlOutcome:
    """Run one spider in a child process (Twisted's reactor cannot restart in this one).

    The source's spool folder is emptied first, so a retried crawl starts clean.
    """
    shutil.rmtree(spool / source, ignore_errors=True)
    cmd = [sys.executable, "-m", "scrapers.crawl", source, "--spool", str(spool)]
    if snapshot:
        cmd += ["--snapshot", str(snapshot)]
    if record:
        cmd += ["--record", str(record)]
    for name, value in (spider_args or {}).items():
        cmd += ["-a", f"{name}={value}"]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
    return CrawlOutcome(source, proc.returncode, time.monotonic() - started, tail)


def crawl_errors(crawl: CrawlOutcome, spool: Path) -> list[str]:
    """Why a crawl failed: it could not run, or a required document could not be fetched."""
    if crawl.returncode != 0:
        return [f"crawl exited {crawl.returncode}: {crawl.stderr_tail}"]
    index = spool / crawl.source / "documents.jsonl"
    if not index.is_file():
        return []
    docs = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()]
    return [f"{d['url']}: {d['error']}" for d in docs if d.get("error") and d.get("required", True)]


def load_crawl(con: duckdb.DuckDBPyConnection, run_id: int, crawl: CrawlOutcome, spool: Path) -> SourceLoad:
    """Land a crawl's documents; a crawl that could not run fails its source, nothing else."""
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


def now() -> datetime:
    return datetime.now(timezone.utc)
