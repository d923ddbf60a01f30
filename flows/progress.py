"""Crawl progress as `versus refresh` shows it: a live Rich bar per source on a terminal, plain lines
otherwise. Events are the child crawls' progress lines (scrapers/progress.py)."""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable


def progress_line(event: dict) -> str:
    """One event as text: `litellm: 3 requests done, 1 in flight, 12 queued, 2 documents, 0 errors, 4.1s`
    (`finished` instead of what is in flight and queued once the crawl is over; errors are failed
    documents, optional ones included)."""
    cached = f", {event['cached']} from cache" if event.get("cached") else ""
    state = "finished" if event.get("done") else f"{event.get('in_flight', 0)} in flight, {event.get('queued', 0)} queued"
    return (f"{event['source']}: {event.get('requests', 0)} requests done, {state}, {event.get('documents', 0)} "
            f"documents, {event.get('errors', 0)} errors{cached}, {event.get('elapsed', 0):.1f}s")


class PlainProgress:
    """Plain lines, at most one per source every `every` seconds, and the last one of each crawl."""

    def __init__(self, write: Callable[[str], None], every: float = 5.0):
        self.write, self.every = write, every
        self.last: dict[str, float] = {}
        self.lock = threading.Lock()

    def __call__(self, event: dict) -> None:
        now = time.monotonic()
        with self.lock:
            source = event["source"]
            if not event.get("done") and now - self.last.get(source, -self.every) < self.every:
                return
            self.last[source] = now
        self.write(f"  crawl {progress_line(event)}")

    def log(self, line: str) -> None:
        self.write(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class LiveProgress:
    """A Rich progress bar per source on stderr; other lines print above the bars."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=False)
        self.tasks: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, event: dict) -> None:
        total = event.get("requests", 0) + event.get("in_flight", 0) + event.get("queued", 0)
        with self.lock:
            if event["source"] not in self.tasks:
                self.tasks[event["source"]] = self.progress.add_task(event["source"], total=None)
            self.progress.update(self.tasks[event["source"]], description=progress_line(event),
                                 total=max(total, 1), completed=event.get("requests", 0))

    def log(self, line: str) -> None:
        from flows.terminal import safe

        self.progress.console.print(safe(line), markup=False, highlight=False)  # Rich keeps ESC

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()


def crawl_display(write: Callable[[str], None], live: bool | None = None):
    """The live bar when stderr is a terminal (or `live`), else plain lines through `write`."""
    if live is None:
        live = sys.stderr.isatty()
    return LiveProgress() if live else PlainProgress(write)
