"""Names and their normalisation: a source id taken apart (`parse`) into the model it names and
what only tells a route apart, and the matching `key` that makes spellings of one name equal."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.identity.aliases import AliasFile, alias_file

# OpenRouter-style variant tags after ':' (':free', ':thinking'): the same model on another route.
VARIANT_TAGS = {"free", "thinking", "nitro", "floor", "online", "extended", "exacto", "beta", "fast"}
# Trailing words that name a weight format or a serving wrapper, not a model.
QUANTIZATION = {"fp8", "fp4", "nvfp4", "mxfp4", "mxfp", "bf16", "fp16", "int4", "int8", "awq", "gptq",
                "gguf", "mlx", "4bit", "6bit", "8bit", "w4a16", "w8a8", "maas"}
# llama.cpp's GGUF quantization types ('Q4_K_M', 'IQ4_XS'): a weight format, not a model.
GGUF = re.compile(r"i?q\d(?:_[a-z0-9]+)+")
# Trailing words tried off, one level after the exact match: serving tiers and modes of one model.
# ('reasoning' is not among them: 'phi-4-reasoning' and 'command-a-reasoning' are models of their own.)
LOOSE_SUFFIXES = {"fast", "highspeed", "lightning", "spot", "us", "eu", "thinking", "think", "nothink",
                  "nothinking", "non-reasoning", "latest", "free", "tee", "original", "community", "nitro",
                  "cloud", "exacto", "turbo", "router", "default", "v1", "flex", "short", "high", "low",
                  "medium", "xhigh", "minimal", "versatile", "instant", "basic", "hf", "cs", "fw", "tput"}
# Trailing words by shape: a context length ('-128k', '-202k') or a deployment date ('-251222',
# Volcengine's YYMMDD) tells a route apart, not a model.
LOOSE_WORD = re.compile(r"\d{1,4}k|2[4-9](?:0[1-9]|1[0-2])\d{2}")
# Forms a bare size name takes in a catalogue: 'llama-3.3-70b' at a provider is the instruct model.
LOOSE_ENDINGS = ("instruct", "it")
REGION = re.compile(r"(?:us|eu|apac|ap|au|jp|ca|sa|me|af|il|mx|in|uk|global|regional)(?:-gov)?(?:-[a-z]+)*(?:-\d+)?"
                    r"|\d+-(?:month|year)-commitment")
DATE = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2})$")
# Any snapshot's date suffix, the short forms too: -YYYY-MM-DD, -YYYYMMDD, -MMDD, -YYMM.
SNAPSHOT_DATE = (r"20\d{2}-(?:0[1-9]|1[0-2])-[0-3]\d|20\d{2}(?:0[1-9]|1[0-2])[0-3]\d"
                 r"|(?:0[1-9]|1[0-2])[0-3]\d|2[3-9](?:0[1-9]|1[0-2])")
SOURCE_RANK = {"openrouter": 0, "modelsdev": 1, "huggingface": 2}


class Vendors:
    """Vendor spellings, families and curated rules from `aliases.yaml`, as lookups."""

    def __init__(self, data: AliasFile):
        self.data = data
        self.spelling = {s.lower(): v for v, spellings in data.vendors.items() for s in [v, *spellings]}
        self.route_segments = {s.lower() for s in data.route_segments}
        self.route_words = sorted({w.lower() for w in data.route_words}, key=len, reverse=True)
        self.words = set(self.spelling) | set(self.route_words)
        self.rewrites = [(re.compile(r.pattern), r.replace) for r in data.rewrites]
        self.not_models = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in data.not_models) or "(?!)")
        self.undated = set(data.undated_aliases)

    def canonical(self, name: str | None) -> str | None:
        return self.spelling.get(name.lower()) if name else None

    def family(self, slug: str) -> str | None:
        """The vendor a name's first word ('o3-mini') or its letters ('gpt-4o', 'llama3') belong to."""
        return self._family(slug)

    @lru_cache(maxsize=None)
    def _family(self, slug: str) -> str | None:
        word = re.match(r"[a-z]+", slug)
        return self.data.families.get(slug.split("-")[0]) or (self.data.families.get(word.group()) if word else None)

    def rewrite(self, slug: str) -> str:
        """The slug after the curated `rewrites` (word order a vendor changed: 'claude-4.6-sonnet')."""
        for pattern, replace in self.rewrites:
            slug = pattern.sub(replace, slug)
        return slug

    def is_router(self, source_id: str) -> bool:
        """Whether the id is not a model at all (a router, moving alias or price bucket)."""
        return self.not_models.match(source_id) is not None


@dataclass(frozen=True)
class ParsedId:
    """A source id taken apart: the model it names, and what only distinguishes the route."""

    slug: str                # model part, lowercased: no route prefix, region, variant or API version
    namespace: str | None    # vendor folder as written ('mistralai', 'deepseek-ai'), lowercased
    vendor: str | None       # canonical vendor the id names itself ('meta.llama3...' -> 'meta-llama')
    repo: str | None         # the id as a Hugging Face repo id ('org/name', lowercased), if shaped so
    variant: str | None      # 'free', 'us', 'fp8', 'ft', 'us-east-1'...: kept apart in the route


def parse(source_id: str, route_prefixes: frozenset[str] = frozenset(), vendors: Vendors | None = None) -> ParsedId:
    """Take a source's model id apart.

    `route_prefixes`: the source's provider folder names ('azure_ai' in 'azure_ai/mistral-large-2407'),
    dropped when they lead the id. The rules, in order: a fine-tune prefix 'ft:' and a ':free'
    style tag are variants; Fireworks' 'accounts/<a>/models/' and gateway segments ('@cf', 'tee',
    regions such as 'eu' or 'us-east-1') are dropped; a Bedrock/OCI prefix 'vendor.' (after a
    regional 'us.'/'eu.'/'apac.') names the vendor; an API version '-v1:0' or '-v1' and weight
    formats ('-fp8', '-gguf', Vertex's '-maas') are dropped (and Bedrock's '-1:0'); Vertex's '@2407' is a date suffix.
    """
    vendors = vendors or default_vendors()
    s, variants = source_id.strip(), []
    if s.startswith("ft:"):
        s, variants = s[3:], ["ft"]
    if s.lower().startswith("hf:"):
        s = s[3:]
    if ":" in s:
        head, tag = s.rsplit(":", 1)
        if tag.lower() in VARIANT_TAGS or tag.isdigit() and len(tag) > 2:
            s, variants = head, [*variants, tag.lower()]
    segs = [seg for seg in s.split("/") if seg]
    if len(segs) > 1 and _norm(segs[0]) in route_prefixes:
        segs = segs[2:] if len(segs) > 2 and segs[1] == segs[0] else segs[1:]
    folder = next((n for n, seg in enumerate(segs[:-1]) if n and seg in ("models", "routers")), None)
    if folder is not None:  # Fireworks' 'accounts/fireworks/models/x', Clarifai's 'qwen/qwenLM/models/x'
        segs = ([] if segs[0] == "accounts" else segs[:1]) + segs[folder + 1:]
    kept = []
    for seg in segs[:-1]:
        low = seg.lower()
        if low in vendors.route_segments or (REGION.fullmatch(low) and not vendors.canonical(low)):
            variants.append(low)
        else:
            kept.append(seg)
    segs = kept + segs[-1:]
    repo = "/".join(segs).lower() if len(segs) == 2 else None
    namespace = segs[0].lower() if len(segs) >= 2 else None
    name = segs[1] if len(segs) >= 2 else segs[0] if segs else source_id
    variants += [seg.lower() for seg in segs[2:]]
    vendor = vendors.canonical(namespace)

    parts = name.split(".")
    first = 1 if len(parts) > 2 and REGION.fullmatch(parts[0].lower()) and vendors.canonical(parts[1]) else 0
    if len(parts) - first >= 2 and vendors.canonical(parts[first]) and not parts[first + 1][:1].isdigit():
        if first:
            variants.append(parts[0].lower())
        vendor = vendor or vendors.canonical(parts[first])
        rest = ".".join(parts[first + 1:])
        name = rest if vendors.family(rest.lower()) else f"{parts[first]}-{rest}"  # 'deepseek.r1'

    name = re.sub(r"[\s()]+", "-", name.strip().lower()).strip("-")  # 'Llama 4 Scout (17Bx16E)', as pages write it
    name = re.sub(r"-{2,}", "-", name)  # SAP's 'anthropic--claude-4.6-opus'
    if "@" in name:
        name, tag = name.rsplit("@", 1)
        if re.fullmatch(r"\d{8}|\d{4}", tag):
            name += "-" + tag
        elif re.fullmatch(r"\d{4}-\d{3}", tag):
            name += "-" + tag[:4]
    # Bedrock's API versions: '-v1:0', 'gpt-oss-120b-1:0', and any '-vN:0' after a date ('-20241022-v2:0')
    name = re.sub(r"-v1:0$|(?<=[a-z\d])-\d:\d$|(?<=-\d{8})-v\d+:\d$", "", name)
    name = re.sub(r"-(v\d+):0$", r"-\1", name).replace(":", ".")
    words, quantized = name.split("-"), False
    while len(words) > 1 and (words[-1] in QUANTIZATION or GGUF.fullmatch(words[-1]) or words[-1] in ("v1", "free")):
        word = words.pop()
        if word != "v1":
            variants.append(word)
            quantized = quantized or word in QUANTIZATION
    slug = "-".join(words)
    family = vendors.family(slug)
    if quantized and vendor and family and family != vendor:
        vendor = namespace = None  # 'nvidia/DeepSeek-V3.2-NVFP4': nvidia quantized DeepSeek's model
    return ParsedId(slug, namespace, vendor, repo, "+".join(dict.fromkeys(variants)) or None)


# A parameter count ('14b', '0p5b', '8x7b', 'e4b', '1.5b'), and the words a weights name may carry
# after it ('instruct', 'it', 'chat', 'base', a version 'v0p2', an active count 'a3b', a YYMM date).
SIZE_WORD = re.compile(r"(?:\d+x)?\d+(?:[.p]\d+)?b|e\d+b")
AFTER_SIZE = re.compile(r"instruct|it|chat|base|hf|v\d+(?:[.p]\d+)*|a\d+(?:[.p]\d+)?b|2[3-9](?:0[1-9]|1[0-2])")


# A word a vendor's own model names are made of: a number or version ('4.5', 'v2', 'x1', 'k2', 'r1',
# '4.1v'), a size or context length, a date, or a tier word.
VENDOR_WORD = re.compile(r"[a-z]?\d+(?:[.p]\d+)?[a-z]?|(?:\d+x)?\d+(?:[.p]\d+)?[bk]|x|"
                         r"flash|flashx|pro|plus|turbo|turbos|mini|air|airx|lite|max|large|medium|small|nano|"
                         r"vision|vl|coder|instruct|chat|thinking|preview|exp|audio|omni|text|zero")
CATALOGUE_FOLDER = re.compile(r"(?:^|/)accounts/[^/]+/models/")
# A host's library of open weights, each named after its repo: Fireworks' model folders, Ollama's
# library (LiteLLM's 'ollama/internlm2_5-20b-chat' is internlm/internlm2_5-20b-chat).
WEIGHTS_LIBRARY = re.compile(CATALOGUE_FOLDER.pattern + r"|^ollama/")


def states_weights(source: str, provider_id: str | None, source_id: str) -> bool:
    """Whether an id names a set of weights rather than a serving API's model: a Hugging Face repo
    (the card, models.dev's and genai-prices' Hugging Face hosts) or a host's weights library. Kept in
    step with warehouse/reconcile.py FACT_SQL's `repo` and `catalogued_weights` rows."""
    return (source == "huggingface" or (source == "modelsdev" and provider_id == "huggingface")
            or (source == "genai_prices" and (provider_id or "").startswith("huggingface"))
            or bool(WEIGHTS_LIBRARY.search(source_id)))


def names_weights(slug: str) -> bool:
    """Whether a name is a set of open weights by its size: a size word, and after it only the
    words a vendor's release names carry ('qwen2p5-coder-14b-instruct', 'mistral-7b-v0p2',
    'deepseek-r1-0528-distill-qwen3-8b'). A community fine-tune names itself after the size
    ('qwen3.5-27b-bluestar-derestricted') and is not one."""
    words = slug.split("-")
    sizes = [n for n, w in enumerate(words) if SIZE_WORD.fullmatch(w)]
    return len(sizes) == 1 and sizes[0] > 0 and all(AFTER_SIZE.fullmatch(w) for w in words[sizes[-1] + 1:])


def _prefixes(slug: str) -> list[str]:
    """Every leading run of whole words ('meta', 'meta-llama' of 'meta-llama-3-70b'), longest first."""
    cuts = [i for i, c in enumerate(slug) if c == "-"]
    return [slug[:i] for i in reversed(cuts)]


def _specific(name: str) -> bool:
    """Whether what is left of a name after a rule took words off still names a model:
    two words or more, or one with a version number ('router' and 'claude' do not)."""
    return "-" in name.strip("-") or any(c.isdigit() for c in name)


def _norm(segment: str) -> str:
    return segment.lower().replace("_", "-")



@cache
def key(slug: str) -> str:
    """The matching key of a slug: spellings of one name made equal.

    Case; '.', '_', ':' and spaces as '-'; Fireworks' '3p1' as '3.1'; 'v' before a version number;
    and every separator before a digit dropped, so '3.5' = '3-5' = '35', '-2407' = '-24-07',
    'llama3.1-8b' = 'llama-3.1-8b' and 'gpt-35-turbo' = 'gpt-3.5-turbo'.
    """
    k = slug.lower()
    k = re.sub(r"(?<=\d)p(?=\d)", ".", k)
    k = re.sub(r"[\s._:]+", "-", k)
    k = re.sub(r"(?:^|-)v(?=\d)", "-", k)
    k = re.sub(r"-+(?=\d)", "", k)
    return k.strip("-")


@cache
def default_vendors() -> Vendors:
    return Vendors(alias_file())
