"""Undated ids and their dated snapshots: when a dated name is the same model, and when an undated
name is a moving alias.

A vendor ships one model under an undated id ('gpt-4o-mini') and pins it under a dated snapshot
('gpt-4o-mini-2024-07-18'); the resolver founds both. The evidence rules, once:
- two dated snapshots are never one model, and two Hugging Face repos are two models;
- the undated id and a dated name are one model (`merged`) when the dated name is the only
  snapshot any source lists for it and no source states a different model fact for the two
  (release date, context window, output limit, modalities: `FACTS`, as the vendor, a catalogue or
  a card states them; a route's own figure is a route fact and never splits a model);
- a stated difference keeps them two models (`split`: Kimi K2 and kimi-k2-0905);
- an undated id with two snapshots or more is a moving alias (`alias`): its target changes over
  time and no source here states which it is, so it stays a model of its own, marked, with its
  candidate snapshots listed, and is never compared with them ('gpt-4o', 'mistral-large').
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

from pipeline.identity.aliases import alias_file
from pipeline.identity.names import LOOSE_ENDINGS, SIZE_WORD, SNAPSHOT_DATE, key, parse, states_weights
from pipeline.identity.providers import provider_for
from pipeline.identity.resolver import Identity, SourceId

# A snapshot's date suffix: -YYYY-MM-DD, -YYYYMMDD, -MMDD, -YYMM.
DATED = re.compile(rf"^(?P<stem>.+?)-(?P<date>{SNAPSHOT_DATE})$")
FACTS = ("release_date", "context_window", "max_output_tokens", "input_modalities", "output_modalities")
LIMIT_TOLERANCE = 0.03  # 128,000 and 131,072 are both "128K"


@dataclass(frozen=True)
class Family:
    """One undated model and the dated snapshots sources list for it, and what the evidence made
    of them: `merged` (one model: the snapshot's names join the undated id), `split` (two
    models, for the stated `evidence`), or `alias` (a moving alias of several snapshots)."""

    undated: str
    snapshots: tuple[str, ...]  # dated canonical ids, and dated names a source lists ('vendor/name')
    decision: Literal["merged", "split", "alias"]
    evidence: str
    kept: str = ""  # merged: the id the one model keeps (the stronger anchor's, the undated on a tie)
    relation: Literal["snapshot", "instruct", "alias_target"] = "snapshot"  # instruct: a bare size name and
    # its '-instruct'; alias_target: a moving alias and the model a source links it to
    serving_to: str = ""  # split instruct, split only by a stated base: its serving ids' model (the instruct)


def dated(model_id: str) -> tuple[str, str] | None:
    """(undated model id, date suffix) of a dated canonical id, or None."""
    vendor, _, slug = model_id.partition("/")
    found = DATED.match(slug)
    return (f"{vendor}/{found['stem']}", found["date"]) if found else None


def model_facts(identity: Identity, rows: list[tuple[SourceId, str, str]]) -> dict[str, dict[str, set[str]]]:
    """Per model, the values of `FACTS` its model-level sources state (a card, a catalogue entry
    with no provider, or the vendor's own provider listing), its Hugging Face repos (`repo`: a
    `hugging_face_id`, or the id a Hugging Face host lists it under) and the names a price entry
    of it lists (`listed_names`). `rows`: (source id, field, value as text)."""
    model_of = {r.id: r.model_id for r in identity.resolutions if r.model_id}
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, field, value in rows:
        model_id = model_of.get(i)
        if model_id is None or model_id not in identity.models:
            continue
        if field in ("hugging_face_id", "repo"):
            facts[model_id]["repo"].add(value.lower())
        elif field in ("listed_names", "name", "catalogued_weights"):
            facts[model_id][field].add(value)
        elif i.source == "huggingface" or i.provider_id is None \
                or provider_for(i.source, i.provider_id).vendor == identity.models[model_id].vendor:
            facts[model_id][field].add(value)
    return facts


# A release a display name dates: 'Ministral 8B 24.10', 'Mistral Large 2407'.
NAME_DATE = re.compile(r"(?<![\d.])(2[3-9])\.?(0[1-9]|1[0-2])(?![\d.])")


def _name_dates(names: set[str]) -> set[str]:
    return {"".join(m) for n in names for m in NAME_DATE.findall(n)}


def _by_key(models) -> dict[tuple[str, str], str]:
    """(vendor namespace, matching key of the slug) -> canonical id."""
    return {(m.split("/", 1)[0], key(m.split("/", 1)[1])): m for m in models}


def _differences(a: dict[str, set[str]], b: dict[str, set[str]], fields) -> list[str]:
    """The stated `fields` two models' sources state differently, as evidence text."""
    return [f"{f}: {', '.join(sorted(a[f]))} vs {', '.join(sorted(b[f]))}"
            for f in fields if _differs(f, a.get(f, set()), b.get(f, set()))]


def _differs(field: str, a: set[str], b: set[str]) -> bool:
    """Whether two sets of stated values share none (limits within LIMIT_TOLERANCE agree)."""
    if not a or not b:
        return False
    if field in ("context_window", "max_output_tokens"):
        return not any(abs(int(x) - int(y)) <= LIMIT_TOLERANCE * max(int(x), int(y)) for x in a for y in b)
    return not a & b


def families(models: dict[str, int], facts: dict[str, dict[str, set[str]]],
             curated: frozenset[str] = frozenset()) -> list[Family]:
    """Every undated model with dated snapshots, and the decision the evidence rules make.
    `models`: canonical id -> the tier of the anchor that founded it (lower is stronger);
    `curated`: ids the alias file names, kept when merged."""
    snapshots: dict[str, list[str]] = defaultdict(list)
    by_key = _by_key(models)
    for model_id in sorted(models):
        if (found := dated(model_id)) and found[0] in models:
            snapshots[found[0]].append(model_id)
    for model_id, stated in sorted(facts.items()):  # dated names a price entry lists, founded or not
        vendor = model_id.split("/", 1)[0]
        for name in sorted(stated.get("listed_names", ())):
            name = name.rsplit("/", 1)[-1].lower()
            found = dated(f"{vendor}/{name}")
            undated = found and by_key.get((vendor, key(found[0].split("/", 1)[1])))
            listed = by_key.get((vendor, key(name)), f"{vendor}/{name}")
            if undated and listed not in snapshots[undated]:
                snapshots[undated].append(listed)
    out = []
    for undated, dated_ids in sorted(snapshots.items()):
        dated_ids = sorted(dated_ids)
        if len(dated_ids) > 1:
            out.append(Family(undated, tuple(dated_ids), "alias",
                              f"{len(dated_ids)} snapshots listed; no source states which the undated id names"))
            continue
        snapshot = dated_ids[0]
        a, b = facts.get(undated, {}), facts.get(snapshot, {})
        differ = _differences(a, b, ("repo", *FACTS))
        date = dated(snapshot)[1].replace("-", "")
        if (named := _name_dates(a.get("name", set()))) and not any(date.endswith(d) or date[2:6] == d for d in named):
            differ.append(f"name: {', '.join(sorted(a['name']))} dates another release than {date}")
        if differ:
            out.append(Family(undated, (snapshot,), "split", "; ".join(differ)))
        elif snapshot not in models:
            out.append(Family(undated, (snapshot,), "merged",
                              "the only snapshot any source lists (a name only), and no source states a different "
                              "model fact", undated))
        else:
            kept = min((undated, snapshot), key=lambda m: (m not in curated, models[m], m != undated))
            out.append(Family(undated, (snapshot,), "merged",
                              "the only snapshot any source lists, and no source states a different model fact", kept))
    return out + _latest_aliases(models, out) + _instruct_twins(models, facts, by_key, curated)


def _latest_aliases(models: dict[str, int], found: list[Family]) -> list[Family]:
    """A '-latest' name founded as a model of its own beside a family is a moving alias of it: no
    source here states which release it serves, so it is compared with none of them."""
    out = []
    for f in found:
        latest = f"{f.undated}-latest"
        if latest in models:
            names = [f.kept] if f.decision == "merged" else sorted({f.undated, *f.snapshots})
            out.append(Family(latest, tuple(names), "alias", "a '-latest' name: a moving alias; no source states "
                              "which release it serves"))
    return out


def alias_targets(models: dict[str, int], facts: dict[str, dict[str, set[str]]], moving: set[str]) -> list[Family]:
    """A moving alias (`moving`: a vendor's API alias, or a '-latest' name) that a source links to
    a Hugging Face repo naming another model ('deepseek/deepseek-chat' -> deepseek-ai/DeepSeek-V3.2
    -> 'deepseek/deepseek-v3.2'): its names resolve to that model as of the link's date."""
    by_key = _by_key(models)
    repos = defaultdict(set)
    for model_id, stated in facts.items():
        for repo in stated.get("repo", ()):
            repos[repo].add(model_id)
    out = []
    for model_id in sorted(models):
        vendor, slug = model_id.split("/", 1)
        if slug not in moving and not slug.endswith("-latest"):
            continue
        for repo in sorted(facts.get(model_id, {}).get("repo", ())):
            named = by_key.get((vendor, key(repo.split("/", 1)[1])))
            targets = ({named} if named else set()) | (repos[repo] - {model_id})
            if len(targets) == 1 and (target := targets.pop()) != model_id:
                out.append(Family(model_id, (target,), "merged", f"a source links {slug} to {repo}, which names "
                                  f"{target}: the alias's names resolve to it", target, "alias_target"))
                break
    return out


def _instruct_twins(models: dict[str, int], facts: dict[str, dict[str, set[str]]],
                    by_key: dict[tuple[str, str], str], curated: frozenset[str]) -> list[Family]:
    """A bare size name ('meta-llama/llama-3.1-8b' from Vercel's and Cerebras' ids) beside the
    vendor's '-instruct' (or '-it') model: resellers serve the instruct model under it, so they are
    one model, unless a source states a base model of its own (a Hugging Face repo of it) or
    another model fact."""
    out = []
    for model_id in sorted(models):
        vendor, slug = model_id.split("/", 1)
        if not SIZE_WORD.fullmatch(slug.rsplit("-", 1)[-1]):
            continue
        twins = sorted({by_key[k] for w in LOOSE_ENDINGS if (k := (vendor, key(f"{slug}-{w}"))) in by_key})
        if len(twins) != 1:
            continue
        a, b = facts.get(model_id, {}), facts.get(twins[0], {})
        differ = _differences(a, b, FACTS)
        if base := sorted(a.get("repo", set()) | a.get("catalogued_weights", set())):
            differ.insert(0, f"a source states a base model: {', '.join(base)}")
        if model_id in curated:
            differ.insert(0, "the alias file names it")
        if differ:
            # split only because weights of a base model are listed (a repo, a host's weights library):
            # the base model keeps those ids, the serving APIs' ids of the bare name serve the instruct one
            serving = twins[0] if base and len(differ) == 1 else ""
            out.append(Family(model_id, (twins[0],), "split", "; ".join(differ), relation="instruct",
                              serving_to=serving))
        else:
            out.append(Family(model_id, (twins[0],), "merged", "a bare size name no source states a base model of",
                              twins[0], "instruct"))
    return out


def decide(identity: Identity, rows: list[tuple[SourceId, str, str]]) -> list[Family]:
    """Every family of the resolved `identity` and its decision, from the facts in `rows` (see
    `model_facts`), with the alias file's ids kept and its `moving_aliases` followed to their targets."""
    curated_file = alias_file()
    tiers = {m.model_id: m.tier for m in identity.models.values()}
    facts = model_facts(identity, rows)
    curated = frozenset(a.model_id for a in curated_file.aliases) | frozenset(curated_file.hugging_face_repos)
    return families(tiers, facts, curated) + alias_targets(tiers, facts, set(curated_file.moving_aliases))


def apply(identity: Identity, found: list[Family]) -> Identity:
    """The identity with each merged family one model under the id it keeps; the other id's names
    resolve to it, not naming it exactly."""
    into = {(f.undated if f.kept != f.undated else f.snapshots[0]): f.kept
            for f in found if f.decision == "merged" and f.snapshots[0] in identity.models}
    serving = {f.undated: f.serving_to for f in found if f.serving_to in identity.models}
    if not into and not serving:
        return identity
    models = dict(identity.models)
    for drop, keep in into.items():
        models[keep] = replace(models[keep], anchors=[*models[keep].anchors, *models.pop(drop).anchors])
    resolutions = []
    for r in identity.resolutions:
        if r.model_id in into:
            r = replace(r, model_id=into[r.model_id], names_model=False)
        elif r.model_id in serving and _serves_chat(r.id):
            r = replace(r, model_id=serving[r.model_id], names_model=False)
        if any(c in into for c in r.candidates):
            candidates = tuple(sorted({into.get(c, c) for c in r.candidates}))
            r = replace(r, candidates=candidates) if len(candidates) > 1 else \
                replace(r, model_id=candidates[0], method="rule", candidates=())  # its two matches were one model
        resolutions.append(r)
    return Identity(models, resolutions)


def _serves_chat(i: SourceId) -> bool:
    """Whether a bare size name is a serving API's name of the instruct model: listed by the vendor's
    own platform, a cloud or a gateway (Mistral's 'mixtral-8x7b' in genai-prices, Snowflake Cortex's,
    Vercel's 'meta/llama-3.2-3b'), not a weights repo or library, and not an inference host, which
    serves repos as published ('google/gemma-7b' at Together is the base repo)."""
    if i.provider_id is None or states_weights(i.source, i.provider_id, i.source_id):
        return False
    return provider_for(i.source, i.provider_id).kind in ("vendor", "cloud", "aggregator")


def alias_kind(source_id: str, model_id: str | None, names_model: bool, aliases: set[str]) -> str | None:
    """What a source's name is to the model it resolves to: `moving_alias` (a '-latest' name, or
    the name of a model that is a moving alias), `snapshot` (a dated name), `vendor_id` (the
    model's own name), or `reseller` (a provider's or leaderboard's renaming:
    'cerebras/llama3.1-8b', 'meta.llama3-1-8b-instruct-v1:0'). None for an unresolved id."""
    if model_id is None:
        return None
    slug = parse(source_id).slug
    if slug.endswith("-latest") or (model_id in aliases and names_model):
        return "moving_alias"
    if DATED.match(slug):
        return "snapshot"
    return "vendor_id" if names_model else "reseller"
