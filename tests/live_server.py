"""A local HTTP server that serves a recorded snapshot as the sources would, with faults on demand.

`https://models.dev/api.json` is served at `http://127.0.0.1:PORT/models.dev/api.json`; crawls reach
it through the URL map (`VERSUS_URL_MAP`, scrapers/live.py), so every Scrapy middleware and the
spool still see the source's URL. Each body carries an ETag (its sha256) and a Last-Modified (either
can be turned off, `etag` / `last_modified`) and the Cache-Control in `cache_control`; a conditional
request that matches gets a 304. Faults queued per URL are used one per request.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapers.snapshot import Snapshot

LAST_MODIFIED = "Sat, 01 Aug 2026 00:00:00 GMT"
LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in</form></body></html>"


class SnapshotServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, snapshot_root, stall_seconds: float = 3.0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.snapshot = Snapshot(snapshot_root)
        self.stall_seconds = stall_seconds
        self.cache_control = "max-age=0"  # revalidate every time; "max-age=3600" makes copies fresh
        self.etag = self.last_modified = True  # which validators the answers carry
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.log: list[dict] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url_map(self) -> str:
        return json.dumps({"https://": f"http://127.0.0.1:{self.server_address[1]}/"})

    def requests_for(self, url: str) -> list[dict]:
        return [r for r in self.log if r["url"] == url]

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.log.clear()
            self.cache_control = "max-age=0"
            self.etag = self.last_modified = True

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SnapshotServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        url = "https://" + self.path.lstrip("/")
        with self.server.lock:
            fault = self.server.faults[url].pop(0) if self.server.faults.get(url) else None
        entry = self.server.snapshot.lookup(url)
        body = self.server.snapshot.path(entry).read_bytes() if entry else b""
        etag = f'"{hashlib.sha256(body).hexdigest()}"'
        request = {"url": url, "status": None, "fault": fault, "if_none_match": self.headers.get("If-None-Match"),
                   "if_modified_since": self.headers.get("If-Modified-Since")}
        with self.server.lock:
            self.server.log.append(request)  # on arrival: a stalled request is logged though never answered
        self.sent = 0
        request["status"] = self._answer(url, fault, entry, body, etag)
        request["bytes"] = self.sent

    def _answer(self, url, fault, entry, body, etag) -> int:
        if url.endswith("/login"):
            return self._send(200, LOGIN_PAGE, {"Content-Type": "text/html; charset=utf-8"})
        if fault == "500":
            return self._send(500, b"Internal Server Error", {"Content-Type": "text/plain"})
        if fault == "429":
            return self._send(429, b"Too Many Requests", {"Content-Type": "text/plain", "Retry-After": "1"})
        if fault == "login":
            return self._send(302, b"", {"Location": "https://login.example.com/login"})
        if fault == "stall":
            time.sleep(self.server.stall_seconds)
        if entry is None:
            return self._send(404, b"not found", {"Content-Type": "text/plain"})
        validators = {"Cache-Control": self.server.cache_control}
        if self.server.etag:
            validators["ETag"] = etag
        if self.server.last_modified:
            validators["Last-Modified"] = LAST_MODIFIED
        headers = {"Content-Type": entry.content_type, **validators}
        if fault != "truncate" and self._not_modified(etag):
            return self._send(304, b"", validators, length=False)
        if fault == "truncate":  # a full body promised, half of it sent, the connection closed
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.sent = len(body) // 2
            self.wfile.flush()
            self.close_connection = True
            return 200
        return self._send(200, body, headers)

    def _not_modified(self, etag: str) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when sent; else If-Modified-Since, against Last-Modified."""
        if self.headers.get("If-None-Match") is not None:
            return self.server.etag and self.headers["If-None-Match"] == etag
        since = self.headers.get("If-Modified-Since")
        if since is None or not self.server.last_modified:
            return False
        try:
            return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(LAST_MODIFIED)
        except (TypeError, ValueError):
            return False

    def _send(self, status: int, body: bytes, headers: dict, length: bool = True) -> int:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.sent = len(body)
        return status
