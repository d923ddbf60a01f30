"""Which pairs get a page: each model's nearest alternatives, plus pairs named in a config file.

Models are paired within their kind only (chat with chat, embedding with embedding: models.kind);
a model of unknown kind gets no nearest alternatives, and a moving alias none of its own snapshots. For every tracked model (`Candidate`), in this order, up to `PER_MODEL` others:
1. the same family: up to `FAMILY` models of its family, nearest blended price first;
2. the same capabilities (the same set of capabilities sourced as Yes): the `NEAREST` nearest
   cheaper and the `NEAREST` nearest dearer (or equal) by blended price;
3. then the next nearest blended prices with the same capabilities, until `PER_MODEL`;
4. then, while short, the nearest blended prices among models with more capabilities (every one
   of its own, and others).
"Nearest" is the ratio of blended prices (log distance); ties go by model id. A pair chosen
from both sides is one page, with both reasons. Config pairs (`pipeline/site_pairs.yaml`, or the
file given) are added whatever their distance.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.curated import load, load_text

PER_MODEL, FAMILY, NEAREST = 10, 4, 3
SELECTIONS = ("nearest", "config", "none", "all")
HOW_CHOSEN = (f"For each model the site pairs it with about {PER_MODEL} alternatives: up to {FAMILY} models of the "
              f"same family (nearest blended price first), the {NEAREST} nearest cheaper and {NEAREST} nearest "
              f"dearer models with the same sourced capabilities, then the next nearest prices with those "
              f"capabilities (or, while short, with those and more); plus pairs named in the site's pairs file. "
              f"Only models of one kind are paired (chat with chat, embedding with embedding), and a moving alias "
              f"never with one of its own snapshots.")


@dataclass(frozen=True)
class Candidate:
    model_id: str
    name: str
    family: str | None
    blended: Decimal  # USD per 1M tokens on its cheapest priced route (every tracked model has one)
    capabilities: frozenset[str]  # sourced Yes
    kind: str | None = "chat"  # models.kind; None: unknown, paired with none
    own_names: frozenset[str] = frozenset()  # a moving alias's snapshots: never paired with it


class ConfigPair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: str = Field(min_length=1)
    b: str = Field(min_length=1)
    why: str | None = None


class PairsFile(BaseModel):
    """pipeline/site_pairs.yaml: `pairs: [{a: ..., b: ..., why: ...}]` (ids, aliases or names)."""

    model_config = ConfigDict(extra="forbid")
    pairs: list[ConfigPair] = []


def pairs_file(path: Path | None = None) -> tuple[PairsFile, str]:
    """The pairs file and its name for messages: `path`, else `pipeline/site_pairs.yaml`."""
    if path is None:
        return load("site_pairs.yaml", PairsFile), "pipeline/site_pairs.yaml"
    return load_text(path.read_text(encoding="utf-8"), str(path), PairsFile), str(path)


def _distance(a: Decimal, b: Decimal) -> float:
    """Log distance of two prices; free (0) sits below every positive price."""
    fa, fb = float(a) or 1e-9, float(b) or 1e-9
    return abs(math.log(fa / fb))


class _Group:
    """Models with one set of capabilities, by blended price then id."""

    def __init__(self, members: list[Candidate]):
        self.members = sorted(members, key=lambda c: (c.blended, c.model_id))
        self.keys = [(c.blended, c.model_id) for c in self.members]

    def closest(self, m: Candidate, n: int) -> list[Candidate]:
        """The `n` members nearest to `m`'s price (log distance, then id), `m` left out."""
        at = bisect.bisect_left(self.keys, (m.blended, m.model_id))
        found = []
        for side in (reversed(self.members[:at]), iter(self.members[at:])):
            taken: list[Candidate] = []
            for c in side:
                if c.model_id == m.model_id:
                    continue
                if len(taken) >= n and c.blended != taken[-1].blended:
                    break  # past the n nearest on this side and their ties
                taken.append(c)
            found += taken
        return sorted(found, key=lambda c: (_distance(c.blended, m.blended), c.model_id))[:n]


def nearest(models: list[Candidate]) -> dict[tuple[str, str], list[str]]:
    """Pairs (ids in sorted order) with the reasons they were chosen, about PER_MODEL per model,
    each pair of two models of one kind."""
    by_kind: dict[str, list[Candidate]] = defaultdict(list)
    for m in models:
        if m.kind is not None:
            by_kind[m.kind].append(m)
    return {pair: why for kind in sorted(by_kind) for pair, why in _nearest_of_one_kind(by_kind[kind]).items()}


def _nearest_of_one_kind(models: list[Candidate]) -> dict[tuple[str, str], list[str]]:
    chosen: dict[tuple[str, str], list[str]] = defaultdict(list)
    members: dict[frozenset[str], list[Candidate]] = defaultdict(list)
    by_family: dict[str, list[Candidate]] = defaultdict(list)
    for m in models:
        members[m.capabilities].append(m)
        if m.family:
            by_family[m.family].append(m)
    groups = {caps: _Group(g) for caps, g in members.items()}
    families = {f: _Group(g) for f, g in by_family.items()}
    for m in models:
        picks: dict[str, str] = {}

        def take(other: Candidate, why: str) -> None:
            if other.model_id != m.model_id and other.model_id not in picks and len(picks) < PER_MODEL \
                    and other.model_id not in m.own_names and m.model_id not in other.own_names:
                picks[other.model_id] = why

        for other in families[m.family].closest(m, FAMILY) if m.family else []:
            take(other, f"same family ({m.family})")
        group = groups[m.capabilities]
        at = bisect.bisect_left(group.keys, (m.blended, m.model_id))
        cheaper = [c for c in reversed(group.members[:at]) if c.blended < m.blended][:NEAREST]
        dearer = [c for c in group.members[at:] if c.model_id != m.model_id and c not in cheaper][:NEAREST]
        for other in cheaper:
            take(other, "a nearest cheaper model with the same capabilities")
        for other in dearer:
            take(other, "a nearest dearer model with the same capabilities")
        for other in group.closest(m, 2 * PER_MODEL + FAMILY):
            if len(picks) >= PER_MODEL:
                break
            take(other, "a next nearest price with the same capabilities")
        if len(picks) < PER_MODEL:
            wider = [c for caps, g in groups.items() if caps > m.capabilities for c in g.closest(m, PER_MODEL)]
            for other in sorted(wider, key=lambda c: (_distance(c.blended, m.blended), c.model_id)):
                take(other, "a nearest price among models with at least the same capabilities")
        for other_id, why in picks.items():
            key = tuple(sorted((m.model_id, other_id)))
            chosen[key].append(f"{why}, chosen for {m.name}")
    return dict(chosen)
