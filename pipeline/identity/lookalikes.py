"""Look-alikes: canonical ids that may be one model (a check for people, not a resolution rule)."""
from __future__ import annotations

import re
from collections import defaultdict

from pipeline.identity.names import Vendors, default_vendors, key

_DATES = [(re.compile(r"-(20\d{2})-?(0[1-9]|1[0-2])-?(?:[0-3]\d)$"), r"-\1\2"),   # -2024-07-24, -20240724
          (re.compile(r"-(0[1-9]|1[0-2])-(20\d{2})$"), r"-\2\1"),                    # Cohere's -08-2024
          (re.compile(r"-(2[3-9])(0[1-9]|1[0-2])(?:[0-3]\d)?$"), r"-20\1\2")]        # -2407, -250615


def lookalike_key(model_id: str, vendors: Vendors | None = None) -> tuple[str, str]:
    """(vendor, name) of a canonical id once what only spells a model differently is taken off: an
    '-instruct'/'-it' word, a '-latest' alias, a provider's API version ('-001'), and the spelling
    of a date ('-2407', '-24-07', '-2024-07-18', '-07-2024' are one month; for `undated_aliases`
    vendors the date itself). Other vendors' dated ids are snapshots of their own, not look-alikes. Two models with one
    look-alike key are one model spelled twice, or models a reviewer has found to differ."""
    vendors = vendors or default_vendors()
    ns, slug = model_id.split("/", 1)
    name = re.sub(r"[._:@\s]+", "-", slug.lower())
    name = re.sub(r"-00\d$", "", name)
    for pattern, replace in _DATES:
        name = pattern.sub(replace, name)
    name = "-".join(w for w in name.split("-") if w not in ("instruct", "it", "latest"))
    vendor = vendors.canonical(ns) or ns
    if vendor in vendors.undated:  # their dated ids are snapshots of the undated name
        name = re.sub(r"-20\d{4}$", "", name)
    return vendor, key(name)


def lookalike_groups(model_ids: list[str]) -> list[tuple[str, ...]]:
    """Canonical ids sharing a look-alike key (see `lookalike_key`), each group sorted."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for model_id in model_ids:
        groups[lookalike_key(model_id)].add(model_id)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)
