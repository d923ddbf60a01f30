"""Shared behaviour: every response or failure becomes a document item for the spool."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from pipeline.source_policy import policy
from scrapers.snapshot import Snapshot


class SourceSpider(scrapy.Spider):
    """A spider whose `start_urls` are required documents: their failure fails the source."""

    start_urls: list[str] = []

    async def start(self):
        for url in self.start_urls:
            yield self.fetch(url, required=True)

    def fetch(self, url: str, required: bool, callback=None, **meta) -> scrapy.Request:
        """A request for one document; a download larger than the source's `max_document_bytes`
        (pipeline/sources.yaml) is cancelled and fails the document."""
        limit = policy(self.name).max_document_bytes
        return scrapy.Request(url, callback=callback or self.parse, errback=self.failed,
                              meta={"required": required, "download_maxsize": limit, **meta}, dont_filter=True)

    def fetch_optional(self, url: str, callback=None, **meta) -> scrapy.Request | dict:
        """A request for an optional document. In a replay whose manifest lacks the URL, no request:
        the item the replay's 404 would have given (HTTP 404), at once, counted in `snapshot/missing`
        as the replay middleware counts the URLs it lacks."""
        if self.replay is not None and self.replay.lookup(url) is None:
            self.crawler.stats.inc_value("snapshot/missing")
            return self._absent(url, "HTTP 404", 404, {"required": False, **meta})
        return self.fetch(url, required=False, callback=callback, **meta)

    @cached_property
    def replay(self) -> Snapshot | None:
        """The snapshot this crawl replays (VERSUS_SNAPSHOT), or None when it is live."""
        root = self.settings.get("VERSUS_SNAPSHOT")
        return Snapshot.open(root) if root else None

    def document(self, response) -> dict:
        """The document under the URL the spider asked for; a redirect's target is kept beside it
        (a redirect to a login page must fail the source's own URL, not land under another)."""
        asked = (response.meta.get("redirect_urls") or [response.url])[0]
        return {
            "source": self.name,
            "url": asked,
            "redirected_to": response.url if asked != response.url else None,
            "status": response.status,
            "fetched_at": datetime.now(timezone.utc).isoformat(),
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1") or None,
            "as_of": response.meta.get("as_of"),
            "data_date": response.meta.get("data_date"),  # a replayed snapshot's date; None when live
            "required": response.meta.get("required", True),
            "error": None,
            "body": response.body,
        }

    def parse(self, response):
        yield self.document(response)

    def failed(self, failure):
        """Record a fetch that failed after retries: an HTTP error, a timeout, a DNS error."""
        request = failure.request
        status = failure.value.response.status if failure.check(HttpError) else None
        reason = f"HTTP {status}" if status else f"{failure.type.__name__}: {failure.getErrorMessage()}"
        log = self.logger.warning if request.meta.get("required", True) else self.logger.info
        log("%s: %s failed: %s", self.name, request.url, reason)
        yield self._absent(request.url, reason, status, request.meta)

    def _absent(self, url: str, reason: str, status: int | None, meta: dict) -> dict:
        """The item for a document that could not be had: its URL and why, no body."""
        return {
            "source": self.name, "url": url, "status": status,
            "fetched_at": datetime.now(timezone.utc).isoformat(), "content_type": None,
            "as_of": meta.get("as_of"), "data_date": meta.get("data_date"),
            "required": meta.get("required", True),
            "error": reason, "body": b"",
        }
