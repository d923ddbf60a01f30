"""Resolution: canonical models founded from anchors, then every source id resolved to one of
them (see the package docstring for the order of the rules)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.identity.aliases import AliasEntry, alias_file
from pipeline.identity.names import (CATALOGUE_FOLDER, DATE, WEIGHTS_LIBRARY, LOOSE_ENDINGS, LOOSE_SUFFIXES, LOOSE_WORD, SIZE_WORD,
                                     SNAPSHOT_DATE, SOURCE_RANK, VENDOR_WORD, ParsedId, Vendors, _norm, _prefixes, _specific,
                                     default_vendors, key, names_weights, parse)
from pipeline.identity.providers import provider_file, provider_for

# A dated snapshot's name: the undated name and a date suffix of any form.
SNAPSHOT = re.compile(rf"^(?P<stem>.+?)-(?:{SNAPSHOT_DATE})$")

@dataclass(frozen=True)
class SourceId:
    """One id as one source states it, under one of the source's providers (None: catalogue)."""

    source: str
    provider_id: str | None
    source_id: str


@dataclass
class Model:
    """A canonical model: its id, vendor, and the anchors that founded or joined it."""

    model_id: str
    vendor: str | None
    anchors: list[SourceId] = field(default_factory=list)
    tier: int = 1  # the anchor kind that founded it (see `_Resolver.tier`)


@dataclass(frozen=True)
class Resolution:
    """How one source id was resolved. `candidates`: the models an ambiguous id matches."""

    id: SourceId
    model_id: str | None
    method: str              # link, rule, alias_file, unresolved, ambiguous
    rule: str | None         # hugging_face_id, alias_file (a link), exact, vendor_prefix, rewrite, loose_suffix,
                             # undated; not_a_model
    variant: str | None
    candidates: tuple[str, ...] = ()
    names_model: bool = False  # the id's name is the canonical id's ('mistral/mistral-small-2603')


@dataclass
class Identity:
    models: dict[str, Model]
    resolutions: list[Resolution]


class _Index:
    def __init__(self, vendors: Vendors):
        self.vendors = vendors
        self.models: dict[str, Model] = {}
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.links: dict[str, set[str]] = defaultdict(set)

    def add(self, model_id: str, k: str) -> None:
        self.by_key[k].add(model_id)

    def match(self, keys: list[str], vendor: str | None, hints: set[str]) -> set[str]:
        found = {m for k in keys for m in self.by_key.get(k, ())}
        if vendor:
            found = {m for m in found if self.models[m].vendor == vendor}
        if len(found) > 1 and hints:
            found = {m for m in found if self.models[m].vendor in hints} or found
        return found


def _levels(p: ParsedId, vendors: Vendors, provider_tokens: set[str], owners: set[str]) -> list[tuple[str, list[tuple[str, str | None, str | None]]]]:
    """The names to try, in order: (rule, [(stem, vendor the stem implies, words dropped)]). The first
    step whose stems match any model decides; all stems of one step count together (two models:
    ambiguous). Dropped serving and route words become part of the offering's variant.

    exact: the name as parsed. vendor_prefix: a leading vendor, provider or route word taken off
    ('zai-glm-5-2', 'databricks-claude-sonnet-4', 'FW-GLM-5'), and a vendor after a route word
    ('coding-xiaomi-mimo-v2.5'). rewrite: the curated `rewrites`
    ('duo-chat-sonnet-4-5' is 'claude-sonnet-4-5'). loose_suffix: trailing serving
    words taken off one by one ('-fast', '-thinking', '-latest'...), each time first trying a
    bare name as its '-instruct'/'-it' model. undated: a date suffix taken off, for the vendors
    `aliases.yaml` lists under `undated_aliases`.
    """
    stems: list[tuple[str, str | None, str | None]] = [(p.slug, None, None)]
    for prefix in _prefixes(p.slug):
        if (prefix in vendors.words or prefix in provider_tokens) and _specific(p.slug[len(prefix) + 1:]):
            vendor, rest = vendors.canonical(prefix), p.slug[len(prefix) + 1:]
            stems.append((rest, vendor, None if vendor else prefix))
            for inner in [] if vendor else _prefixes(rest):  # 'databricks-meta-llama-3-3-70b-instruct'
                if vendors.canonical(inner) and _specific(rest[len(inner) + 1:]):
                    stems.append((rest[len(inner) + 1:], vendors.canonical(inner), prefix))
    steps = [("exact", [stems[0]]), ("vendor_prefix", stems[1:])]
    rewritten = [(vendors.rewrite(stem), v, dropped) for stem, v, dropped in stems]
    steps.append(("rewrite", [f for f, (stem, _, _) in zip(rewritten, stems) if f[0] != stem]))
    stems += [f for f in rewritten if f[0] not in {s for s, _, _ in stems}]
    loose = []
    for stem, v, dropped in stems:
        words, popped, mode = stem.split("-"), [], False
        while True:
            if p.namespace is None and not mode:  # a bare size name ('llama-3.3-70b'): its instruct model first
                loose.append([(f"{'-'.join(words)}-{end}", v, _join(dropped, *popped))
                              for end in LOOSE_ENDINGS if words[-1] != end])
            if popped:
                loose.append([("-".join(words), v, _join(dropped, *popped))])
            if not ((words[-1] in LOOSE_SUFFIXES or LOOSE_WORD.fullmatch(words[-1])) and _specific("-".join(words[:-1]))
                    and (words[-1] != "turbo" or words[-2] == "instruct")):
                break
            mode = mode or words[-1] in ("thinking", "think")
            popped.insert(0, words.pop())
    steps += [("loose_suffix", forms) for forms in loose]
    undated = []
    for stem, v, dropped in [*stems, *(f for forms in loose for f in forms)]:
        if ({v} | owners | {vendors.family(stem)}) & vendors.undated and DATE.search(stem):
            undated.append((DATE.sub("", stem), v, dropped))
    steps.append(("undated", undated))
    return [(rule, forms) for rule, forms in steps if forms]


def _join(*parts: str | None) -> str | None:
    return "+".join(dict.fromkeys(p for p in parts if p)) or None


def resolve_ids(ids: list[SourceId], links: list[tuple[SourceId, str]], previous: set[str] = frozenset(),
                vendors: Vendors | None = None, aliases: list[AliasEntry] | None = None,
                repos: dict[str, str] | None = None) -> Identity:
    """Found canonical models from anchors, then resolve every id.

    `links`: (source id, Hugging Face repo) pairs a source states. `repos`: canonical model id ->
    Hugging Face repo, curated (default: `hugging_face_repos` in aliases.yaml). `previous`:
    canonical ids of earlier runs; a model founded again keeps its earlier id, so offerings and
    their price history stay attached to it across runs.
    """
    data = alias_file()
    return _Resolver(ids, links, previous, vendors or default_vendors(),
                     data.aliases if aliases is None else aliases,
                     data.hugging_face_repos if repos is None else repos).run()


class _Resolver:
    """The state of one resolution: parsed ids, models founded so far, their keys and links."""

    def __init__(self, ids, links, previous, vendors: Vendors, aliases: list[AliasEntry], repos: dict[str, str]):
        self.ids, self.vendors, self.aliases = list(dict.fromkeys(ids)), vendors, aliases
        self.curated = {repo.lower(): model_id for model_id, repo in repos.items()}  # repo -> model
        self.index = _Index(vendors)
        prefixes = _route_prefixes(self.ids)
        self.parsed = {i: parse(i.source_id, prefixes.get(i.source, frozenset()), vendors) for i in self.ids}
        self.previous = {}
        for mid in sorted(previous):
            if "/" in mid:
                ns, slug = mid.split("/", 1)
                self.previous.setdefault((vendors.canonical(ns) or ns, key(slug)), mid)
        self.provider_names = {_norm(i.provider_id) for i in self.ids if i.provider_id}
        self.provider_names |= {e.provider_id for e in provider_file().providers} | vendors.route_segments
        self.catalogue_orgs = {p.namespace for i, p in self.parsed.items()
                               if self.tier(i, p) in (1, 2) and p.namespace}
        self._steps: dict[SourceId, list] = {}
        self.anchored: dict[SourceId, tuple] = {}
        self.alias_ids: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
        self.alias_names: dict[str, str] = {}
        for a in aliases:
            if a.source_id:
                self.alias_ids[a.source_id][a.source, a.source_id] = a.model_id
            else:
                self.alias_names[key(a.name)] = a.model_id
        self.stated: dict[SourceId, set[str]] = defaultdict(set)
        for i, repo in links:
            self.stated[i].add(repo.lower())

    def tier(self, i: SourceId, p: ParsedId) -> int | None:
        """Which kind of anchor an id is (1 strongest), or None when it can only be resolved.

        1 OpenRouter's model list; 2 the models.dev catalogue; 3 a Hugging Face repo; 4 a listing by
        the vendor's own platform of its own model; 5 an id that names its vendor or repo org
        ('deepinfra/Qwen/Qwen3-14B', 'swiss-ai/Apertus-70B-Instruct-2509'). Bare names at other
        providers are tier 6 when at least two providers use the same name (see `corroborated`).
        """
        if self.vendors.is_router(i.source_id) or names_nothing(p):
            return None
        if i.source == "openrouter" and i.provider_id == "openrouter" and p.namespace:
            return 1
        if i.provider_id is None and i.source == "modelsdev" and p.namespace:
            return 2
        if i.provider_id is None and i.source == "huggingface" and p.repo:
            return 3
        if i.provider_id is None:
            return None
        own = provider_for(i.source, i.provider_id).vendor
        family = self.vendors.family(p.slug)
        if own and p.vendor in (None, own) and family in (None, own) and (p.namespace is None or p.vendor):
            return 4
        if p.vendor or (p.namespace and p.namespace not in self.provider_names and p.repo):
            return 5
        return None

    def explicit_vendor(self, p: ParsedId) -> str | None:
        return p.vendor or (p.namespace if p.namespace in self.catalogue_orgs else None)

    def hints(self, i: SourceId, p: ParsedId) -> set[str]:
        out = {self.vendors.family(p.slug)}
        if i.provider_id:
            out.add(provider_for(i.source, i.provider_id).vendor)
        return out - {None}

    def steps(self, i: SourceId, p: ParsedId) -> list[tuple[str, str | None, list[tuple[str, str | None, set[str]]]]]:
        """`_levels` for one id, with keys and vendor hints worked out once: (rule, vendor, forms)."""
        if i not in self._steps:
            vendor = self.explicit_vendor(p)
            owners = {vendor} if vendor else self.hints(i, p)
            tokens = {_norm(i.provider_id)} if i.provider_id else set()
            self._steps[i] = [(rule, vendor, [(key(stem), implied, owners | {implied, self.vendors.family(stem)} - {None}, dropped)
                                              for stem, implied, dropped in forms])
                              for rule, forms in _levels(p, self.vendors, tokens, owners)]
        return self._steps[i]

    def rules(self, i: SourceId, p: ParsedId, exact_only: bool = False) -> tuple[str | None, set[str], str | None]:
        """(rule, models, words dropped) of the first step that matches anything. `exact_only`
        (a catalogue entry, which names a model of its own) keeps to the exact name, a moving
        '-latest' alias, and the undated name of an `undated_aliases` vendor."""
        for rule, vendor, forms in self.steps(i, p):
            if exact_only and not (rule in ("exact", "undated") or (rule == "loose_suffix" and forms[0][3] == "latest")):
                continue
            found: set[str] = set()
            dropped = None
            for k, implied, hints, words in forms:
                matched = self.index.match([k], vendor or implied, hints)
                if matched:
                    found |= matched
                    dropped = dropped or words
            if found:
                return rule, found, dropped
        return None, set(), None

    def link(self, p: ParsedId, i: SourceId | None = None) -> set[str]:
        """Models the id is linked to: as a repo itself, or (`i` given) through the repo it states."""
        repos = ({p.repo} if p.repo else set()) | (self.stated.get(i, set()) if i else set())
        return {m for repo in repos for m in self.index.links.get(repo, ())}

    def curated_link(self, p: ParsedId) -> set[str]:
        """The model the alias file links the id's repo to, once that model exists."""
        model_id = self.curated.get(p.repo) if p.repo else None
        return {model_id} if model_id in self.index.models else set()

    def found(self, i: SourceId, p: ParsedId, tier: int, vendor: str | None = None) -> str:
        vendor = vendor or self.explicit_vendor(p) or (provider_for(i.source, i.provider_id).vendor if i.provider_id else None)
        ns = vendor or p.namespace or "unknown"
        if tier == 1:
            proposed = i.source_id.split(":")[0].lower() if p.variant else i.source_id.lower()
        elif p.repo in self.curated:  # the alias file names the model this repo is
            proposed = self.curated[p.repo]
            ns = proposed.split("/", 1)[0]
        else:
            slug = re.sub(r"(?<=\d)p(?=\d)", ".", p.slug) if CATALOGUE_FOLDER.search(i.source_id) else p.slug
            proposed = f"{ns}/{slug}"  # Fireworks' 'qwen2p5-coder-14b' is Qwen2.5-Coder-14B
        if proposed not in self.index.models:
            self.index.models[proposed] = Model(proposed, ns, tier=tier)
        return proposed

    def join(self, model_id: str, i: SourceId, p: ParsedId, index_name: bool = True) -> None:
        model = self.index.models[model_id]
        model.anchors.append(i)
        if not index_name:
            return
        self.index.add(model_id, key(p.slug))
        for spelling in _prefixes(p.slug):  # 'Meta-Llama-3-70B' is also 'llama-3-70b' of meta-llama
            rest = p.slug[len(spelling) + 1:]
            if self.vendors.canonical(spelling) == model.vendor and self.vendors.family(rest):
                self.index.add(model_id, key(rest))
        for repo in self.stated.get(i, ()):
            self.index.links[repo].add(model_id)
        if p.repo and i.source == "huggingface":
            self.index.links[p.repo].add(model_id)

    def match(self, i: SourceId, p: ParsedId, exact_only: bool = False, linked: bool = True) -> tuple[str, str | None, set[str], str | None]:
        """(method, rule, models): a link, checked against the exact name (a link and a name that
        point at two models make the id ambiguous), else the rules."""
        curated = self.curated_link(p) if linked else set()
        found = self.link(p, i) if linked else set()
        if found or curated:
            return ("link", "alias_file" if curated else "hugging_face_id",
                    found | curated | self.rules(i, p, exact_only=True)[1], None)
        return ("rule", *self.rules(i, p, exact_only))

    def alias(self, i: SourceId) -> str | None:
        """The model the curated alias file names for this id, if any."""
        if i.source_id in self.alias_ids:
            for source in (i.source, "*"):
                if (source, i.source_id) in self.alias_ids[i.source_id]:
                    return self.alias_ids[i.source_id][source, i.source_id]
        return self.alias_names.get(key(self.parsed[i].slug))

    def anchor(self, i: SourceId, tier: int, vendor: str | None = None) -> None:
        p = self.parsed[i]
        method, rule, found, dropped = self.match(i, p, exact_only=tier <= 3, linked=tier > 1)
        alias = self.alias(i)
        if len(found) != 1 and alias in self.index.models:
            self.join(alias, i, p, index_name=False)  # later spellings resolve through the alias file too
        elif len(found) == 1:
            self.join(next(iter(found)), i, p)
            if rule != "exact":  # joined by a looser rule: report that rule, not the name it added
                self.anchored[i] = (method, rule, dropped)
        elif not found:
            self.join(self.found(i, p, tier, vendor), i, p)

    def run(self) -> Identity:
        by_tier = defaultdict(list)
        for i, p in self.parsed.items():
            by_tier[self.tier(i, p)].append(i)
        order = lambda i: (SOURCE_RANK.get(i.source, 9), i.source, i.provider_id or "", i.source_id)  # noqa: E731
        for tier in (1, 2, 3, 4, 5):
            for i in sorted(by_tier[tier], key=order):
                self.anchor(i, tier)
        self.corroborated(by_tier[None])
        self.merge_spellings()
        self.keep_previous_ids()
        return Identity(self.index.models, [self.resolve(i) for i in self.ids])

    def merge_spellings(self) -> None:
        """Models founded twice under two spellings of one name become one (`spelling_key`): for
        `undated_aliases` vendors a dated id, its undated name and its '-latest' alias
        ('claude-3-sonnet', 'claude-3-sonnet-20240229'), unless two dates share the name (Claude 3.5
        Sonnet's June and October releases stay apart); a dated release with and without '-instruct'
        ('ministral-14b-2512', 'ministral-14b-instruct-2512') when no thinking, reasoning or base
        release of that date is known, which the bare name could be as well; and a model whose name
        the alias file gives to another. The alias file's id stays, else one that is not a '-latest'
        alias, else the stronger anchor's (the shorter on a tie); the other's anchors and names join it."""
        groups: dict[tuple[str, str], dict[str | None, list[Model]]] = defaultdict(lambda: defaultdict(list))
        for model in self.index.models.values():
            spelling, date = spelling_key(model.model_id, self.vendors)
            groups[spelling][date].append(model)
        curated = set(self.curated.values()) | {a.model_id for a in self.aliases}
        keys = {(m.vendor, key(m.model_id.split("/", 1)[1])) for m in self.index.models.values()}
        rename = {}
        for (vendor, name), by_date in groups.items():
            dated = [d for d in by_date if d is not None]
            clusters = [sum(by_date.values(), [])] if len(dated) <= 1 else list(by_date.values())
            release = re.fullmatch(r"(.*?)(\d{4}|\d{8})", name)  # 'ministral14b2512': another variant of that date?
            if release and any((vendor, key(f"{release[1]}-{word}-{release[2]}")) in keys for word in ("thinking", "reasoning", "base")):
                continue
            for cluster in clusters:
                keep, *drops = sorted(cluster, key=lambda m: (m.model_id not in curated, m.model_id.endswith("-latest"),
                                                              m.tier, len(m.model_id), m.model_id))
                rename.update({d.model_id: keep.model_id for d in drops})
        for model_id in self.index.models:  # the alias file names this model's name as another model
            target = self.alias_names.get(key(model_id.split("/", 1)[1]))
            if target in self.index.models and target != model_id:
                rename[model_id] = target
        for drop, keep in sorted(rename.items()):
            while keep in rename:
                keep = rename[keep]
            if drop in self.index.models and keep in self.index.models and drop != keep:
                self.index.models[keep].anchors += self.index.models.pop(drop).anchors
                for table in (self.index.by_key, self.index.links):
                    for k, models in table.items():
                        if drop in models:
                            table[k] = (models - {drop}) | {keep}

    def keep_previous_ids(self) -> None:
        """A model founded by a weaker anchor than OpenRouter or the models.dev catalogue keeps the
        id an earlier run gave it (one of its names, same vendor), so its offerings and price
        history stay attached across runs. An OpenRouter, catalogue or alias-file id always wins."""
        names = defaultdict(set)
        for k, models in self.index.by_key.items():
            for m in models:
                names[m].add(k)
        taken, rename, curated = set(self.index.models), {}, set(self.curated.values())
        for model in sorted(self.index.models.values(), key=lambda m: m.model_id):
            if model.tier <= 2 or model.model_id in curated:
                continue
            earlier = sorted({self.previous[model.vendor, k] for k in names[model.model_id]
                              if (model.vendor, k) in self.previous})
            if model.model_id in earlier or len(earlier) != 1 or earlier[0] in taken:
                continue
            rename[model.model_id] = earlier[0]
            taken.add(earlier[0])
        if not rename:
            return
        new = lambda m: rename.get(m, m)  # noqa: E731
        self.index.models = {new(k): Model(new(k), m.vendor, m.anchors, m.tier) for k, m in self.index.models.items()}
        for table in (self.index.by_key, self.index.links):
            for k, models in table.items():
                table[k] = {new(m) for m in models}

    def corroborated(self, ids: list[SourceId]) -> None:
        """Tier 6: a bare name of a known family that nothing matches, used by two or more providers,
        a dated snapshot ('gpt-5.5-2026-04-24') of a model that exists, or a name of open weights
        by their size (`names_weights`: 'qwen2p5-coder-14b-instruct' in Fireworks' catalogue)."""
        groups, self.before_tier6 = defaultdict(list), {k for k, models in self.index.by_key.items() if models}
        for i in ids:
            p = self.parsed[i]
            family = self.vendors.family(p.slug)
            if i.provider_id and family and p.namespace is None and not self.vendors.is_router(i.source_id) \
                    and not self.match(i, p)[2]:
                groups[family, key(p.slug)].append(i)
        for (family, k), members in sorted(groups.items()):
            providers = {provider_for(i.source, i.provider_id).provider_id for i in members}
            dated = SNAPSHOT.match(self.parsed[members[0]].slug)
            snapshot = dated and self.index.match([key(dated["stem"])], family, set())
            if len(providers) >= 2 or snapshot or self.catalogued_weights(members[0]) or self.vendor_worded(members[0]):
                for i in sorted(members, key=lambda i: (i.source, i.provider_id, i.source_id)):
                    self.anchor(i, 6, family)

    def catalogued_weights(self, i: SourceId) -> bool:
        """Whether an id is a weights repo's name in a host's model catalogue (Fireworks'
        'accounts/fireworks/models/qwen2p5-coder-14b-instruct', which lowercases the repo name and
        writes '.' as 'p'), naming weights by size (`names_weights`), and no model yet founded
        shares its name up to the size: 'qwen3-coder-480b-instruct' is a short spelling of
        Qwen3-Coder-480B-A35B-Instruct, not a model of its own, and stays unresolved."""
        slug = self.parsed[i].slug
        if not WEIGHTS_LIBRARY.search(i.source_id) or not names_weights(slug):
            return False
        words = slug.split("-")
        stem = key("-".join(words[:next(n for n, w in enumerate(words) if SIZE_WORD.fullmatch(w)) + 1]))
        # a longer name founded past the size is the repo this one spells short; the base repo's own
        # name, or this name with words after it (a '-lora' fine-tune), is another model
        full = key(slug)
        return not any(k.startswith(stem) and k != stem and not k.startswith(full) for k in self.before_tier6)

    def vendor_worded(self, i: SourceId) -> bool:
        """Whether a name at one provider is spelled only in its vendor's naming words: the family,
        version numbers, sizes, dates and tier words ('ernie-x1-turbo-32k', 'glm-z1-airx',
        'gemini-2.0-pro-exp-02-05'). Such a name is the vendor's model, listed by one reseller; a
        name with any other word ('qwen3.5-27b-writer-derestricted', 'deepseek-chat-cheaper') is
        not, and stays unresolved. So does one that may be a spelling of a model already founded:
        the name once a date and an '-instruct' are taken off ('mistral-large-instruct-2407'). Names
        with a size ('deepseek-r1-671b', 'llama-3.2-1b-preview') are left to `catalogued_weights`."""
        slug = self.parsed[i].slug
        words = slug.split("-")
        if not all(VENDOR_WORD.fullmatch(w) for w in words[1:]) or not VENDOR_WORD.fullmatch(re.sub(r"^[a-z]+", "", words[0]) or "x"):
            return False
        if any(SIZE_WORD.fullmatch(w) for w in words) or words[-1] in LOOSE_SUFFIXES:
            return False  # 'deepseek-r1-671b', 'hermes3-70b': short spellings of a release; 'hermes-medium'
        stem = "-".join(w for w in DATE.sub("", slug).split("-") if w not in LOOSE_ENDINGS and w != "chat")
        stem = key(re.sub(r"(?:-\d{2}){2}$|-\d{4,8}$", "", stem))
        return not self.founded_like(stem)

    def founded_like(self, stem: str) -> bool:
        """Whether a model founded so far has a name whose key starts with `stem`."""
        return any(k.startswith(stem) for k, models in self.index.by_key.items() if models)

    def resolve(self, i: SourceId) -> Resolution:
        p = self.parsed[i]
        if self.vendors.is_router(i.source_id):
            return Resolution(i, None, "unresolved", "not_a_model", p.variant)
        if names_nothing(p):
            return Resolution(i, None, "unresolved", "names_nothing", p.variant)
        method, rule, found, dropped = self.match(i, p)
        if len(found) == 1 and i in self.anchored and rule == "exact":
            method, rule, dropped = self.anchored[i]
        if len(found) == 1:
            model_id = next(iter(found))
            return Resolution(i, model_id, method, rule, _join(p.variant, dropped),
                              names_model=key(p.slug) == key(model_id.split("/", 1)[-1]))
        alias = self.alias(i)
        if alias in self.index.models:
            return Resolution(i, alias, "alias_file", None, p.variant)
        if found:
            return Resolution(i, None, "ambiguous", rule, p.variant, tuple(sorted(found)))
        return Resolution(i, None, "unresolved", "alias target unknown" if alias else None, p.variant)


def names_nothing(p: ParsedId) -> bool:
    """Whether an id's model part has no letter or digit left to name a model by ('evilcorp/@sum',
    'evilcorp/../../tmp/pwned'): such ids never found, join or match a model, so two of them are
    never folded into one."""
    return not re.search(r"[a-z0-9]", key(p.slug))


def _route_prefixes(ids: list[SourceId]) -> dict[str, frozenset[str]]:
    """Per source, the folder names its provider ids use ('vertex_ai' for 'vertex_ai-anthropic_models')."""
    out: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        if i.provider_id and i.source == "litellm":
            pid = _norm(i.provider_id)
            out[i.source] |= {pid, pid.split("-")[0] if pid.startswith("vertex") else pid,
                              re.sub(r"-(?:embedding-)?models$", "", pid)}
    out["litellm"] |= {"vertex-ai", "amazon-nova", "text-completion-openai", "text-completion-codestral",
                       "bedrock", "azure", "azure-ai", "gemini", "fireworks-ai"}
    return {s: frozenset(v) for s, v in out.items()}


def spelling_key(model_id: str, vendors: Vendors | None = None) -> tuple[tuple[str, str], str | None]:
    """((vendor, name), date) of a canonical id for `merge_spellings`: the name without an
    '-instruct' before a date; for `undated_aliases` vendors also without a '-latest' and with the
    date ('-20240229') apart, since their dated ids are snapshots of the undated model."""
    vendors = vendors or default_vendors()
    ns, slug = model_id.split("/", 1)
    vendor = vendors.canonical(ns) or ns
    name = re.sub(r"-instruct-(2[3-9](?:0[1-9]|1[0-2])|20\d{6})$", r"-\1", slug)
    date = None
    if vendor in vendors.undated:  # others' '-latest' may point to a newer generation ('mistral-medium-latest')
        name = name[:-7] if name.endswith("-latest") and len(name) > 7 else name
        if found := DATE.search(name):
            date, name = found.group(), DATE.sub("", name)
    return (vendor, key(name)), date
