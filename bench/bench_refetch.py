"""Live crawls of a recorded snapshot served by a local HTTP server, twice: what conditional
re-fetches save.

    python bench/bench_refetch.py [../shared/snapshots/2026-08]

Prints, per crawl, the body bytes the server sent, the responses by status and the wall time; the second
crawl sends the validators the first one stored (ETag, Last-Modified) and is answered by 304s.
"""
from __future__ import annotations

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
            started = time.perf_counter()
            for source in SOURCES:
                crawl_source(source, Path(tmp) / attempt, http_cache=Path(tmp) / "cache", settings=settings)
            received = sum(r.get("bytes") or 0 for r in server.log)  # body bytes the server sent
            statuses = Counter(r["status"] for r in server.log if not r["url"].endswith("/robots.txt"))
            print(f"{attempt} crawl: {received / 1e6:.2f} MB of bodies sent, responses {dict(sorted(statuses.items()))}, "
                  f"{time.perf_counter() - started:.1f} s wall")


if __name__ == "__main__":
    main()
