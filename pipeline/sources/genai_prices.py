"""pydantic's genai-prices feed (v2 data.json): providers, each with models priced in USD per
million tokens.

A model's `prices` is one set, or a history: a list of sets, each but the base under a
constraint. The set in force on the document's as-of date is used (the latest `start_date`
not after it, else the base) and the note says which; a start date still to come is not yet
in force. Time-of-day prices (`start_time`/`end_time`) are not read: the base is used and
noted. A tiered price ({base, tiers}) is read as its base tier, noted. `deprecated: true` marks
the route deprecated (no date is stated).
"""
from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from pydantic import field_validator

from pipeline.observation import Document, Extraction
from pipeline.sources.common import Shape, read

PRICES = {"input_usd_per_mtok": "input_mtok", "output_usd_per_mtok": "output_mtok",
          "cache_read_usd_per_mtok": "cache_read_mtok", "cache_write_usd_per_mtok": "cache_write_mtok"}


class PriceSet(Shape):
    constraint: dict[str, Any] | None = None
    prices: dict[str, Any]


class Model(Shape):
    id: str
    name: Any = None
    context_window: Any = None
    prices_checked: Any = None
    deprecated: Any = None
    prices: list[PriceSet]

    @field_validator("prices", mode="before")
    @classmethod
    def _one_set_is_a_history_of_one(cls, value: object) -> object:
        if isinstance(value, dict):
            return [{"prices": value}]
        if not isinstance(value, list):
            raise ValueError("expected object or array")
        return value


class Provider(Shape):
    id: str
    models: list[Model]


def extract(doc: Document) -> Extraction:
    out = Extraction(doc)
    as_of = _as_of(doc)
    for provider in read(doc, list[Provider]):
        for model in provider.models:
            add = partial(out.add, model.id, provider.id)
            add("name", model.name)
            add("context_window", model.context_window)
            add("prices_checked", model.prices_checked)
            if model.deprecated is True:
                add("deprecated", True, note="genai-prices deprecated")
            try:
                prices, note = _in_force(model.prices, as_of)
            except ValueError as exc:
                out.reject(model.id, provider.id, None, None, str(exc))
                continue
            for field, key in PRICES.items():
                value = prices.get(key)
                if isinstance(value, dict) and "base" in value:
                    add(field, value["base"], note="; ".join(filter(None, [note, "tiered: base tier"])))
                else:
                    add(field, value, note=note)
    return out


def _in_force(prices: list[PriceSet], as_of: date) -> tuple[dict[str, Any], str | None]:
    """The price set in force on `as_of`, and a note saying which one it is (None for the only one)."""
    base, started, upcoming, notes = None, [], [], []
    for entry in prices:
        constraint = entry.constraint or {}
        if not constraint:
            base = entry.prices if base is None else base
        elif set(constraint) == {"start_date"}:
            try:
                start = date.fromisoformat(str(constraint["start_date"]))
            except ValueError:
                raise ValueError(f"price history: not a date: {constraint['start_date']!r}") from None
            (started if start <= as_of else upcoming).append((start, entry.prices))
        else:
            notes.append("time-of-day pricing: base price, not the one for "
                         + "-".join(str(constraint.get(k)) for k in ("start_time", "end_time")))
    if started:
        start, chosen = max(started, key=lambda s: s[0])
        notes.insert(0, f"price history: in force since {start}")
    elif base is not None:
        chosen = base
        if upcoming:
            notes.insert(0, f"price history: base price; changes on {min(s for s, _ in upcoming)}")
    else:
        raise ValueError(f"price history: no price in force on {as_of}")
    return chosen, "; ".join(notes) or None


def _as_of(doc: Document) -> date:
    """The date the feed describes: its as-of when that is a date, else when it was fetched."""
    try:
        return date.fromisoformat((doc.as_of or "")[:10])
    except ValueError:
        return doc.fetched_at.date()
