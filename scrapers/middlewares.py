"""Downloader middlewares that replay and record snapshots through the real engine."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from scrapers.snapshot import Snapshot, SnapshotEntry, write_manifest


class SnapshotReplayMiddleware:
    """Answers every request from a snapshot's manifest; a URL it lacks is a 404.

    It counts the documents the manifest answered and those it lacked (stats `snapshot/answered`,
    `snapshot/missing`; robots.txt is not a document), so the parent can tell a source the snapshot
    never recorded (skipped) from one with a document missing (failed).
    """

    def __init__(self, snapshot: Snapshot, stats=None):
        # the snapshot's data_date dates documents whose as-of is not a timestamp
        self.snapshot, self.stats = snapshot, stats

    @classmethod
    def from_crawler(cls, crawler):
        root = crawler.settings.get("VERSUS_SNAPSHOT")
        if not root:
            raise NotConfigured
        mw = cls(Snapshot.open(root), crawler.stats)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider=None):
        for key in ("snapshot/answered", "snapshot/missing"):
            self.stats.set_value(key, 0)

    def _count(self, request, key: str) -> None:
        if self.stats is not None and not request.url.endswith("/robots.txt"):
            self.stats.inc_value(key)

    def process_request(self, request, spider=None):
        entry = self.snapshot.lookup(request.url)
        if entry is None:
            self._count(request, "snapshot/missing")
            return Response(request.url, status=404, body=b"not in snapshot", request=request)
        self._count(request, "snapshot/answered")
        request.meta["as_of"] = entry.as_of
        request.meta["data_date"] = self.snapshot.data_date
        body = self.snapshot.read(entry)  # a SnapshotError (sha256 or size not the manifest's) fails the document
        headers = {"Content-Type": entry.content_type}
        return TextResponse(request.url, status=entry.status, body=body, headers=headers,
                            request=request, encoding="utf-8")


class SnapshotRecordMiddleware:
    """Writes every 200 response of a live crawl into a snapshot folder with a manifest."""

    def __init__(self, crawler, root: Path, label: str):
        self.crawler, self.root, self.label = crawler, root, label
        self.entries: dict[str, SnapshotEntry] = {}

    @classmethod
    def from_crawler(cls, crawler):
        root = crawler.settings.get("VERSUS_RECORD")
        if not root:
            raise NotConfigured
        mw = cls(crawler, Path(root), datetime.now(timezone.utc).strftime("%Y-%m-%d"))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request, response, spider=None):
        spider = self.crawler.spider
        if response.status == 200 and not request.url.endswith("/robots.txt"):
            name = quote(request.url.split("://", 1)[-1], safe="")[:200]
            rel = f"{spider.name}/{name}"
            (self.root / spider.name).mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_bytes(response.body)
            ctype = response.headers.get("Content-Type", b"application/octet-stream").decode()
            self.entries[request.url] = SnapshotEntry(
                url=request.url, file=rel, content_type=ctype,
                as_of=datetime.now(timezone.utc).isoformat(timespec="seconds"), origin="recorded live by versus")
        return response

    def spider_closed(self, spider):
        existing = []
        if (self.root / "manifest.json").is_file():
            existing = [e for e in Snapshot(self.root).manifest.sources if e.url not in self.entries]
        write_manifest(self.root, self.label, existing + list(self.entries.values()))
