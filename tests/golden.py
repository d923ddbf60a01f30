"""Golden pages of the demo pairs, rendered from a warehouse file.

    python -m tests.golden --db versus.duckdb           # (re)write tests/golden/*
    python -m tests.golden --db versus.duckdb --check   # exit 1 listing the files that differ

Build the warehouse first (`versus refresh --snapshot snapshots/demo --db versus.duckdb`).
Volatile values are pinned so a golden page changes only when its facts or the rendering do:
fetch times are dropped. The "Last reviewed" line stays: a replay dates it by the data (the newest
timestamp as-of among the snapshot's documents), so it is the same on any day.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import duckdb

from records.render import render
from records.schema import ComparisonRecord
from warehouse.export import stored_traffic
from warehouse.records import pair_record, resolve_model

GOLDEN = Path(__file__).resolve().parent / "golden"
DEMO_PAIRS = (("mistralai/mistral-large-2407", "mistralai/mistral-small-2603"),  # Mistral Large 2 vs Small 4
              ("mistralai/mistral-small-2603", "qwen/qwen2-7b-instruct"))  # Mistral Small 4 vs Qwen2-7B-Instruct
FORMATS = ("md", "html", "json")


def stable(record: ComparisonRecord) -> ComparisonRecord:
    """The record without what changes on every run: fetch times."""
    return record.model_copy(update={"sources": [s.model_copy(update={"fetched_at": None}) for s in record.sources]})


def render_pair(db: str | Path, a: str, b: str, fmt: str) -> str:
    """The page of the pair named `a` and `b` (ids, aliases or names), as the golden files hold it."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        record = pair_record(con, resolve_model(con, a), resolve_model(con, b), stored_traffic(con))
    finally:
        con.close()
    return render(stable(record), fmt)


def golden_path(a: str, b: str, fmt: str) -> Path:
    slug = "--vs--".join(re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") for n in (a, b))
    return GOLDEN / f"{slug}.{fmt}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check the golden pages of the demo pairs.")
    parser.add_argument("--db", required=True, type=Path, help="warehouse built from snapshots/demo")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    differ = []
    for a, b in DEMO_PAIRS:
        for fmt in FORMATS:
            path, text = golden_path(a, b, fmt), render_pair(args.db, a, b, fmt)
            if args.check:
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    differ.append(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path}")
    for path in differ:
        print(f"differs: {path}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
