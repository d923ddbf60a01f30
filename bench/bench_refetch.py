"""Live crawls of a recorded snapshot served by a local HTTP server, twice: what conditional
re-fetches save.

    python bench/bench_refetch.py [../shared/snapshots/2026-08]

Prints, per crawl, the bytes received, the responses by status and the wall time; the second
crawl sends the validators the first one stored (ETag, Last-Modified) and is answered by 304s.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.steps import crawl_source  # noqa: E402
from tests.live_server import SnapshotServer  # noqa: E402

SOURCES = ["modelsdev", "openrouter", "litellm", "genai_prices"]


def main() -> None:
    snapshot = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared/snapshots/2026-08")
    with SnapshotServer(snapshot) as server, tempfile.TemporaryDirectory() as tmp:
        settings = {"VERSUS_URL_MAP": server.url_map, "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0",
                    "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}
        for attempt in ("first", "second"):
            server.log.clear()
            started, received = time.perf_counter(), 0
            for source in SOURCES:
                spool = Path(tmp) / attempt
                crawl_source(source, spool, http_cache=Path(tmp) / "cache", settings=settings)
                stats = json.loads((spool / source / "crawl.json").read_text())
                received += stats.get("downloader/response_bytes", 0)
            statuses = Counter(r["status"] for r in server.log if not r["url"].endswith("/robots.txt"))
            print(f"{attempt} crawl: {received / 1e6:.2f} MB received, responses {dict(sorted(statuses.items()))}, "
                  f"{time.perf_counter() - started:.1f} s wall")


if __name__ == "__main__":
    main()
