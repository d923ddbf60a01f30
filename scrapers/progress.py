"""A Scrapy extension that reports a crawl's progress as JSON lines on stderr, for the parent.

Every VERSUS_PROGRESS_INTERVAL seconds (and once when the spider closes) it writes one line
`{"versus_progress": {...}}` with the requests done, in flight and queued, the documents spooled,
the errors (failed documents), and the seconds elapsed. `flows/steps.py` reads these lines from
the child process and shows them (a live bar on a terminal, plain lines otherwise, Prefect logs).
"""
from __future__ import annotations

import json
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from scrapers import PROGRESS_MARKER

MARKER = PROGRESS_MARKER


class ProgressExtension:
    def __init__(self, crawler, interval: float):
        self.crawler, self.interval = crawler, interval
        self.started = time.monotonic()
        self.documents = self.errors = 0
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("VERSUS_PROGRESS_INTERVAL", 1.0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        self.started = time.monotonic()
        self.task = create_looping_call(self.report)
        self.task.start(self.interval, now=False)

    def item_scraped(self, item, response=None, spider=None):
        self.documents += 1
        self.errors += bool(item.get("error")) if hasattr(item, "get") else 0

    def spider_closed(self, spider=None, reason=None):
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report(done=True)

    def snapshot(self, done: bool = False) -> dict:
        engine, stats = self.crawler.engine, self.crawler.stats
        scheduler = getattr(engine, "scheduler", None) if engine else None
        try:
            queued = len(scheduler) if scheduler is not None else 0
        except TypeError:
            queued = 0
        active = len(getattr(getattr(engine, "downloader", None), "active", ()) or ())
        return {"source": self.crawler.spider.name, "requests": stats.get_value("downloader/response_count", 0),
                "in_flight": 0 if done else active, "queued": 0 if done else queued,
                "documents": self.documents, "errors": self.errors,
                "cached": stats.get_value("httpcache/hit", 0) + stats.get_value("httpcache/revalidate", 0),
                "elapsed": round(time.monotonic() - self.started, 1), "done": done}

    def report(self, done: bool = False) -> None:
        print(json.dumps({MARKER: self.snapshot(done)}), file=sys.stderr, flush=True)
