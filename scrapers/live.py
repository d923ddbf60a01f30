"""The live path's parts: conditional re-fetches through Scrapy's HTTP cache, Retry-After, a URL map.

Conditional requests are Scrapy's own `HttpCacheMiddleware` with its `RFC2616Policy`: a stored
copy still fresh by its Cache-Control/Expires is served without a request; a stale one is
revalidated with the validators the server gave (ETag as If-None-Match, Last-Modified as
If-Modified-Since) and a 304 hands the spider the stored body. `no-cache` (the response's or the
request's) means "keep it, but ask first": the copy is revalidated like a stale one (Scrapy's stock
policy returns before setting the validators, so it downloaded everything again); `no-store` is
never stored. Two things are narrowed so that the ledger stays honest: a server error or a network
failure is never answered from the cache (Scrapy would, silently); it is retried and then fails its
document, as without a cache.
"""
from __future__ import annotations

import asyncio
import email.utils
import time

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy


class RevalidatingPolicy(RFC2616Policy):
    """RFC 2616 caching, except that `no-cache` revalidates and only a 304 vouches for a stored copy
    (not a 5xx)."""

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        if b"no-cache" in self._parse_cachecontrol(cachedresponse) or b"no-cache" in self._parse_cachecontrol(request):
            self._set_conditional_validators(request, cachedresponse)
            return False
        return super().is_cached_response_fresh(cachedresponse, request)

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304


class RevalidatingCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HTTP cache without its error recovery: a failed download stays a failure."""

    def process_exception(self, request, exception, spider=None):
        request.meta.pop("cached_response", None)
        return None


class RetryAfterMiddleware:
    """Waits what a 429 or 503 asks in Retry-After (capped by VERSUS_RETRY_AFTER_MAX seconds) before
    Scrapy's RetryMiddleware retries it; the wait is recorded in the stats (`retry_after/seconds`)."""

    def __init__(self, crawler, cap: float):
        self.crawler, self.cap = crawler, cap

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("VERSUS_RETRY_AFTER_MAX", 60))

    async def process_response(self, request, response, spider=None):
        if response.status in (429, 503) and b"Retry-After" in response.headers:
            wait = min(self.cap, _seconds(response.headers[b"Retry-After"].decode("latin-1")))
            if wait > 0:
                self.crawler.stats.inc_value("retry_after/seconds", wait)
                await asyncio.sleep(wait)
        return response


def _seconds(value: str) -> float:
    """Retry-After is delay seconds or an HTTP date."""
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value.strip() else None
        return max(0.0, when.timestamp() - time.time()) if when else 0.0


class URLMapDownloadHandler(HTTP11DownloadHandler):
    """Sends a request whose URL starts with a VERSUS_URL_MAP prefix to that prefix's replacement
    instead (a local mirror or a test server); every middleware, the spider and the spool still see
    the source's own URL. Set as the http and https download handler when the map is given."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.url_map = sorted(crawler.settings.getdict("VERSUS_URL_MAP").items(), key=lambda kv: -len(kv[0]))

    async def download_request(self, request):
        for prefix, target in self.url_map:
            if request.url.startswith(prefix):
                response = await super().download_request(request.replace(url=target + request.url[len(prefix):]))
                return response.replace(url=request.url, request=request)
        return await super().download_request(request)
