"""pydantic's genai-prices feed (v2 data.json): providers, each with models priced in USD per
million tokens.

A model's `prices` is one set, or a history: a list of sets, each but the base under a
constraint. The set in force on the document's as-of date gives the four standard base prices
(the latest `start_date` not after it, else the base) and the note says which; a start date
still to come is not yet in force. Every component of every set is also read as a
`price_usd_per_mtok` observation (its `PriceKey`): tiers ({base, tiers: [{start, price}]}, a
cliff applying strictly above `start`), `cache_write_1h_mtok` and the audio, image and video
prices, the other sets of a history with their start and end dates (not in force), and
time-of-day sets (`start_time`/`end_time`, DeepSeek's off-peak hours) with their hours. In a set
with tiers, a flat price is the same at every prompt size, so it is also stated at each tier.
The feed states no service tier: every price is the standard tier. `deprecated: true` marks
the route deprecated (no date is stated).
"""
from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from pydantic import field_validator

from pipeline.observation import Document, Extraction, add_price
from pipeline.sources.common import Shape, read

COMPONENTS = {"input_mtok": "input", "output_mtok": "output", "cache_read_mtok": "cache_read",
              "cache_write_mtok": "cache_write_5m", "cache_write_1h_mtok": "cache_write_1h",
              "input_audio_mtok": "input_audio", "output_audio_mtok": "output_audio",
              "cache_audio_read_mtok": "cache_read_audio", "input_image_mtok": "input_image",
              "output_image_mtok": "output_image", "input_video_mtok": "input_video",
              "output_video_mtok": "output_video", "output_reasoning_mtok": "output_reasoning"}
BASE_FIELDS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")  # in PRICES below
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
    match: Any = None
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
            add("listed_names", _equals(model.match) or None,
                note="the ids the entry's match clause names: a price bucket, not an identity statement")
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
            _components(out, model.id, provider.id, model.prices, prices)
    return out


def _equals(clause: Any) -> list[str]:
    """Every id an `equals` in a match clause names (through `or` and `and`), in order."""
    if isinstance(clause, dict):
        if isinstance(clause.get("equals"), str):
            return [clause["equals"]]
        return [n for key in ("or", "and") for part in clause.get(key) or [] for n in _equals(part)]
    return []


def _components(out: Extraction, model_id: str, provider_id: str, history: list[PriceSet],
                in_force: dict[str, Any]) -> None:
    """Every price component of every set, keyed; the in-force set's base prices are the four
    fields above and are not repeated."""
    starts = sorted({str(e.constraint["start_date"]) for e in history
                     if e.constraint and set(e.constraint) == {"start_date"}})
    for entry in history:
        constraint = entry.constraint or {}
        key: dict[str, Any] = {"in_force": entry.prices is in_force}
        if set(constraint) == {"start_date"}:
            start = str(constraint["start_date"])
            later = [s for s in starts if s > start]
            key.update(starts_on=start, ends_on=later[0] if later else None)
        elif constraint:
            key.update(hours=f"{constraint.get('start_time')}-{constraint.get('end_time')} UTC".replace("Z-", "-")
                       .replace("Z ", " "), in_force=True)
        elif starts:
            key.update(ends_on=starts[0])
        thresholds = sorted({t["start"] for v in entry.prices.values() if isinstance(v, dict)
                             for t in (v.get("tiers") if isinstance(v.get("tiers"), list) else [])
                             if isinstance(t, dict) and isinstance(t.get("start"), int) and t["start"] > 0})
        for raw_key, component in COMPONENTS.items():
            value = entry.prices.get(raw_key)
            if value is None:
                continue
            if not isinstance(value, dict):  # a flat price is the same at every prompt size: stated at each tier
                for start in thresholds:
                    add_price(out, model_id, provider_id, value, component=component, threshold_tokens=start,
                              note="a flat price in a tiered set: the same above every threshold", **key)
            base_done = key["in_force"] and not constraint.get("start_time") and raw_key in BASE_FIELDS
            tiers: list[Any] = []
            if isinstance(value, dict):
                tiers = value.get("tiers") if isinstance(value.get("tiers"), list) else []
                if not isinstance(value.get("tiers"), list):
                    out.reject(model_id, provider_id, "price_usd_per_mtok", value, f"{raw_key}: tiers is not a list")
                value = value.get("base")
            if not base_done:
                add_price(out, model_id, provider_id, value, component=component, **key)
            for tier in tiers:
                if not isinstance(tier, dict) or not isinstance(tier.get("start"), int) or tier["start"] <= 0:
                    out.reject(model_id, provider_id, "price_usd_per_mtok", tier,
                               f"{raw_key}: a tier needs a positive integer start")
                    continue
                add_price(out, model_id, provider_id, tier.get("price"), component=component,
                          threshold_tokens=tier["start"], **key)


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
