"""How leaderboards name the models they rank, taken apart. Pure.

LMArena appends what the run varied to the model's id: `claude-sonnet-4-5-20250929-thinking-32k`
is Claude Sonnet 4.5 with a 32k thinking budget, `gpt-5.1-high` GPT-5.1 at high reasoning effort
(plain `gpt-5.1` is its default setting). `lmarena_forms` gives the names to look up, the whole
name first: a name that is a model of its own (`qwen3-next-80b-a3b-thinking`) resolves as it is.

Aider's polyglot leaderboard names each run's model in its `command`
(`aider --model <LiteLLM-style id>`), sometimes through one of aider's short aliases (`sonnet`,
`r1`), behind an environment prefix (`OPENAI_API_BASE=... aider ...`), with a trailing comment
(`# via hyperbolic`) or as an architect/editor pair. `aider_command` reads it; `aider_forms` gives
the names to look up (the LiteLLM provider prefix taken off).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

EFFORTS = ("minimal", "low", "medium", "high", "xhigh", "max")
# LMArena suffixes that state a setting of the run, longest first; '-thinking' alone is a setting
# only when the whole name does not resolve by itself.
_LMARENA_SETTING = re.compile(
    r"-(?P<setting>thinking(?:-\d+k)?|no-thinking|non-thinking|nothink|(?:minimal|low|medium|high|xhigh)"
    r"|reasoning|non-reasoning|bf16|fp8|online)$")

# aider's built-in model aliases (aider/models.py MODEL_ALIASES), only the two the leaderboard's
# commands use. `sonnet` moved (3.5, then 3.7, then 4): where the run's display name carries a
# dated id ('claude-3-7-sonnet-20250219 (no thinking)', 'DeepSeek R1 + claude-3-5-sonnet-20241022'
# for the editor), `aider_command` takes that id instead of the alias.
AIDER_ALIASES = {
    "sonnet": "anthropic/claude-3-7-sonnet-20250219",  # aider 0.75 (February 2025)
    "r1": "deepseek/deepseek-reasoner",
}
# LiteLLM provider prefixes an aider model id may carry (the route, not the model's vendor).
LITELLM_ROUTES = ("openrouter", "openai", "anthropic", "gemini", "vertex_ai", "deepseek", "xai", "mistral",
                  "fireworks_ai", "nvidia_nim", "together_ai", "groq", "bedrock", "azure", "cohere",
                  "ollama", "ollama_chat", "hyperbolic", "dashscope", "moonshot")
_DATED = re.compile(r"^[a-z0-9][a-z0-9.-]*-(?:20\d{6}|\d{4}-\d{2}-\d{2})$")


def lmarena_forms(name: str) -> list[tuple[str, str | None]]:
    """(name to look up, setting) in the order to try: the whole name, then with a setting suffix
    taken off (at most two: '-thinking-32k', then a '-high' left before it)."""
    forms, rest, settings = [(name, None)], name, []
    for _ in range(2):
        m = _LMARENA_SETTING.search(rest)
        if not m or m.start() == 0:
            break
        rest, settings = rest[:m.start()], [m.group("setting"), *settings]
        forms.append((rest, "-".join(settings)))
    version = re.sub(r"-v(\d+)\.0$", r"-v\1", rest)  # 'amazon-nova-pro-v1.0' is Bedrock's 'nova-pro-v1'
    if version != rest:
        forms.append((version, "-".join(settings) or None))
    return forms


@dataclass(frozen=True)
class AiderRun:
    """What one Aider leaderboard entry ran: the model id, and the setting of the run."""

    model: str                 # LiteLLM-style id, aliases expanded ('anthropic/claude-3-7-sonnet-20250219')
    setting: str | None        # 'high', 'thinking-32k', 'no-thinking', 'architect+gpt-4.1', joined with '+'
    editor: str | None = None  # the editor model of an architect/editor pair


def _thinking(tokens: object) -> str | None:
    """'thinking-32k' for 32000 or 32768 tokens or '32k'; 'no-thinking' for 0."""
    if tokens is None:
        return None
    text = str(tokens).strip().lower()
    m = re.fullmatch(r"(\d+)(k?)", text)
    if not m:
        return f"thinking-{text}"
    n = int(m.group(1)) * (1000 if m.group(2) else 1)
    return "no-thinking" if n == 0 else f"thinking-{round(n / 1024) if n % 1000 else n // 1000}k"


def aider_command(command: str, display: str = "", reasoning_effort: object = None,
                  thinking_tokens: object = None, edit_format: str | None = None,
                  editor_model: str | None = None) -> AiderRun:
    """Read an Aider leaderboard entry's command (and the fields beside it) into an AiderRun.
    A command without `--model` is a ValueError."""
    command = command.split(" # ", 1)[0].split("#", 1)[0] if "#" in command else command
    words = shlex.split(command)
    words = [w for w in words if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", w)]  # OPENAI_API_BASE=...
    options: dict[str, str] = {}
    flags = set()
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("--"):
            name, _, value = w[2:].partition("=")
            if value:
                options[name] = value
            elif i + 1 < len(words) and not words[i + 1].startswith("--"):
                options[name] = words[i + 1]
                i += 1
            else:
                flags.add(name)
        i += 1
    model = options.get("model")
    if not model:
        raise ValueError(f"no --model in {command!r}")
    dated = _display_id(display)
    if model in AIDER_ALIASES:
        model = dated or AIDER_ALIASES[model]
    effort = reasoning_effort or options.get("reasoning-effort") or _display_word(display, EFFORTS)
    thinking = _thinking(thinking_tokens if thinking_tokens is not None else options.get("thinking-tokens"))
    if thinking is None:
        thinking = _display_thinking(display)
    editor = editor_model or options.get("editor-model")
    if editor in AIDER_ALIASES:
        editor = _display_id(display.split(" + ", 1)[1]) if " + " in display else None
        editor = editor or AIDER_ALIASES[editor_model or options.get("editor-model")]
    architect = edit_format == "architect" or "architect" in flags or "architect" in options
    parts = [str(effort).lower() if effort else None, thinking,
             f"architect+{editor}" if architect and editor else ("architect" if architect else None)]
    return AiderRun(model, "+".join(p for p in parts if p) or None, editor)


def _display_id(display: str) -> str | None:
    first = display.split(" ")[0].lower() if display else ""
    return first if _DATED.match(first) else None


def _display_word(display: str, words: tuple[str, ...]) -> str | None:
    for group in re.findall(r"\(([^)]*)\)", display.lower()):
        if group.strip() in words:
            return group.strip()
    return None


def _display_thinking(display: str) -> str | None:
    for group in re.findall(r"\(([^)]*)\)", display.lower()):
        if re.fullmatch(r"no think(?:ing)?", group.strip()):
            return "no-thinking"
        m = re.fullmatch(r"(\d+k) think(?:ing)?(?: tokens)?", group.strip())
        if m:
            return f"thinking-{m.group(1)}"
    return None


def aider_forms(model: str) -> list[str]:
    """Names to look up for a LiteLLM-style id, most specific first: the id with its LiteLLM route
    taken off once ('openrouter/openai/o1' -> 'openai/o1'), then the bare model name ('o1')."""
    parts = model.split("/")
    if len(parts) > 1 and parts[0].lower() in LITELLM_ROUTES and (len(parts) > 2 or parts[0] != "openrouter"):
        parts = parts[1:]  # once: in 'openrouter/openai/o1', 'openai' is the vendor
        if parts[0] == "accounts" and "models" in parts:  # fireworks_ai/accounts/fireworks/models/qwq-32b
            parts = parts[parts.index("models") + 1:]
    forms = ["/".join(parts)]
    if len(parts) > 1:
        forms.append(parts[-1])
    return list(dict.fromkeys(forms))


# --- the hook into identity resolution ---------------------------------------------------------

LEADERBOARD_SOURCES = ("lmarena", "aider")
_FIRM = {"exact", "hugging_face_id", "alias_file", "undated"}


def _forms(source: str, name: str) -> list[tuple[str, str | None]]:
    if source == "lmarena":
        return lmarena_forms(name)
    return [(form, None) for form in aider_forms(name)]


def lookup_ids(ids):
    """For each leaderboard id (`identity.SourceId` of a source in LEADERBOARD_SOURCES), the ids
    to resolve in its place, with the setting each implies: {id: [(lookup id, setting)]}."""
    from pipeline.identity import SourceId

    return {i: [(SourceId(i.source, None, form), setting) for form, setting in _forms(i.source, i.source_id)]
            for i in ids if i.source in LEADERBOARD_SOURCES}


def choose(i, forms, resolved: dict):
    """The resolution of leaderboard id `i` from those of its lookup forms: the whole name when it
    resolves firmly (exact, link, alias file), else the first shorter form that resolves, else the
    whole name's own (a looser rule, or unresolved with its candidates). The setting the chosen
    form implies is the alias's variant (an Aider run's setting is per row: None here)."""
    from dataclasses import replace

    first = resolved[forms[0][0]]
    if first.model_id and (first.rule in _FIRM or first.method in ("link", "alias_file")):
        return replace(first, id=i, variant=None if i.source == "aider" else first.variant)
    for lookup, setting in forms[1:]:
        r = resolved[lookup]
        if r.model_id:
            return replace(r, id=i, variant=setting, names_model=False)
    return replace(first, id=i, variant=None if i.source == "aider" else first.variant)


def nearest(name: str, model_ids: list[str], n: int = 3) -> list[str]:
    """The canonical ids closest to a name no rule resolves, to list beside it (never to link)."""
    import difflib

    slugs = {m.split("/", 1)[-1].lower(): m for m in model_ids}
    bare = aider_forms(name)[-1].lower()
    base = lmarena_forms(bare)[-1][0]
    return [slugs[s] for s in difflib.get_close_matches(base, list(slugs), n=n, cutoff=0.6)]
