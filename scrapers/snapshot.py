"""The snapshot manifest format shared by replay, recording and the demo snapshot."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel


class SnapshotEntry(BaseModel):
    url: str
    file: str
    content_type: str = "application/json"
    as_of: str | None = None
    origin: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    status: int = 200  # versus extension: lets a test snapshot serve an HTTP error


class Manifest(BaseModel):
    label: str
    sources: list[SnapshotEntry]


class SnapshotError(Exception):
    pass


class Snapshot:
    """A recorded snapshot folder: answers URLs with the files its manifest names."""

    @classmethod
    def open(cls, root: str | Path) -> Snapshot:
        """The snapshot at `root`, its manifest read once per process while unchanged (the replay
        middleware and the spider share it)."""
        manifest = (Path(root) / "manifest.json").resolve()
        stat = manifest.stat() if manifest.is_file() else None
        return _opened(str(manifest.parent), stat and (stat.st_mtime_ns, stat.st_size))

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        path = self.root / "manifest.json"
        if not path.is_file():
            raise SnapshotError(f"{self.root}: no manifest.json")
        try:
            self.manifest = Manifest.model_validate_json(path.read_bytes())
        except ValueError as exc:
            raise SnapshotError(f"{path}: invalid manifest: {exc}") from exc
        self.entries = {}
        for entry in self.manifest.sources:
            target = (self.root / entry.file).resolve()
            if not target.is_relative_to(self.root):
                raise SnapshotError(f"{path}: file {entry.file!r} for {entry.url} leaves the snapshot folder")
            if entry.url in self.entries:
                raise SnapshotError(f"{path}: {entry.url} is listed twice ({self.entries[entry.url].file!r} and "
                                    f"{entry.file!r}): a manifest answers each URL with one file")
            self.entries[entry.url] = entry

    @property
    def data_date(self) -> str | None:
        """The snapshot's date: the newest as-of among its documents that reads as a timestamp
        (ISO text), or None. A document whose as-of is a label (LiteLLM's version) is dated by it."""
        from pipeline.reconcile import as_timestamp

        stamps = [t for t in (as_timestamp(e.as_of) for e in self.manifest.sources) if t is not None]
        return max(stamps).isoformat() if stamps else None

    def path(self, entry: SnapshotEntry) -> Path:
        return (self.root / entry.file).resolve()

    def read(self, entry: SnapshotEntry) -> bytes:
        """The entry's body, checked against the manifest's `bytes` and `sha256` where it states them:
        a file replaced or cut after recording is a SnapshotError naming the file and URL."""
        body = self.path(entry).read_bytes()
        where = f"{self.root / 'manifest.json'}: {entry.file} for {entry.url}"
        if entry.bytes is not None and len(body) != entry.bytes:
            raise SnapshotError(f"{where} is {len(body):,} bytes, the manifest says {entry.bytes:,}")
        if entry.sha256 is not None and hashlib.sha256(body).hexdigest() != entry.sha256.lower():
            raise SnapshotError(f"{where} has sha256 {hashlib.sha256(body).hexdigest()}, "
                                f"the manifest says {entry.sha256}")
        return body

    def lookup(self, url: str) -> SnapshotEntry | None:
        return self.entries.get(url)


@lru_cache(maxsize=8)
def _opened(root: str, version: tuple[int, int] | None) -> Snapshot:  # version: the manifest's mtime, size
    return Snapshot(root)


def write_manifest(root: Path, label: str, entries: list[SnapshotEntry]) -> None:
    """Write a manifest, filling in sha256 and size from the files."""
    for entry in entries:
        data = (root / entry.file).read_bytes()
        entry.sha256 = hashlib.sha256(data).hexdigest()
        entry.bytes = len(data)
    manifest = Manifest(label=label, sources=sorted(entries, key=lambda e: e.url))
    (root / "manifest.json").write_text(json.dumps(manifest.model_dump(exclude_none=True), indent=2) + "\n")
