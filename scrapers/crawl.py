"""Run one spider in this process: `python -m scrapers.crawl SPIDER --spool DIR [--snapshot DIR]`.

The flow and the CLI call this in a child process, because Twisted's reactor cannot restart
inside one process. Progress goes to stderr as JSON lines (scrapers/progress.py). Live crawls
given `--http-cache DIR` re-fetch conditionally (scrapers/live.py); VERSUS_URL_MAP (a setting or
the environment variable, JSON prefix -> replacement) sends requests to a mirror or a test server. The exit code is 0 when the crawl ran (documents may still have failed:
the spool says which), 1 when it could not start.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scrapers.snapshot import Snapshot, SnapshotError


URL_MAP_ENV = "VERSUS_URL_MAP"  # JSON {"https://models.dev/": "http://127.0.0.1:8000/models.dev/"}


def crawl_settings(spool: Path, snapshot: Path | None, record: Path | None, log_level: str,
                   http_cache: Path | None = None, overrides: dict[str, str] | None = None) -> Settings:
    """The crawl's settings: scrapers/settings.py, then replay or the live path's cache, then overrides
    (`-s NAME=VALUE`, as with `scrapy crawl`)."""
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("VERSUS_SPOOL", str(spool))
    settings.set("LOG_LEVEL", log_level)
    # Scrapy 2.19's remote control needs no reactor (it is off under ours) and imports aiohttp
    # (~0.1 s a child): left out of the base extensions, so it is not even loaded.
    extensions = settings.getdict("EXTENSIONS_BASE")
    extensions.pop("scrapy.extensions.remote_control.RemoteControl", None)
    settings.set("EXTENSIONS_BASE", extensions)
    if http_cache and not snapshot:
        # Live: conditional re-fetches through Scrapy's HTTP cache (scrapers/live.py).
        settings.set("HTTPCACHE_ENABLED", True)
        settings.set("HTTPCACHE_DIR", str(Path(http_cache).resolve()))
    overrides = dict(overrides or {})
    if os.environ.get(URL_MAP_ENV) and "VERSUS_URL_MAP" not in overrides:
        overrides["VERSUS_URL_MAP"] = os.environ[URL_MAP_ENV]
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    if settings.getdict("VERSUS_URL_MAP"):
        handler = "scrapers.live.URLMapDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="cmdline")
    if snapshot:
        # Replay: nothing crosses the network, so politeness delays only waste time.
        settings.set("VERSUS_SNAPSHOT", str(snapshot))
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("DOWNLOAD_DELAY", 0)
        settings.set("CONCURRENT_REQUESTS", 64)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 64)
        if not settings.getdict("VERSUS_URL_MAP"):
            # The replay middleware answers every request (a URL it lacks is a 404): no HTTP handler
            # is needed, and loading Scrapy's costs each child ~0.2 s. A request that reached one
            # would fail as an unsupported scheme, never touch the network.
            settings.set("DOWNLOAD_HANDLERS", {"http": None, "https": None}, priority="cmdline")
    if record:
        settings.set("VERSUS_RECORD", str(record))
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.crawl", description=__doc__)
    parser.add_argument("spider")
    parser.add_argument("--spool", type=Path, required=True, help="folder the documents are written to")
    parser.add_argument("--snapshot", type=Path, help="replay this snapshot instead of the network")
    parser.add_argument("--record", type=Path, help="also write every response into this snapshot folder")
    parser.add_argument("--http-cache", type=Path,
                        help="live crawls: keep responses here and re-fetch them conditionally (ETag, Last-Modified)")
    parser.add_argument("-a", dest="args", action="append", default=[], help="spider argument NAME=VALUE")
    parser.add_argument("-s", dest="settings", action="append", default=[],
                        help="Scrapy setting NAME=VALUE (e.g. DOWNLOAD_TIMEOUT=5, VERSUS_URL_MAP={json})")
    parser.add_argument("--log-level", default="WARNING")
    opts = parser.parse_args(argv)
    if opts.snapshot:
        try:
            Snapshot(opts.snapshot)
        except SnapshotError as exc:
            print(f"versus crawl: {exc}", file=sys.stderr)
            return 1
    overrides = dict(a.split("=", 1) for a in opts.settings)
    process = CrawlerProcess(crawl_settings(opts.spool, opts.snapshot, opts.record, opts.log_level,
                                            opts.http_cache, overrides), install_root_handler=True)
    spider_args = dict(a.split("=", 1) for a in opts.args)
    crawler = process.create_crawler(opts.spider)
    process.crawl(crawler, **spider_args)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
    (opts.spool / opts.spider).mkdir(parents=True, exist_ok=True)
    (opts.spool / opts.spider / "crawl.json").write_text(json.dumps(stats, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
