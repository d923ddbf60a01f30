"""Kinds of model: what a model takes and gives, so that only models of one kind are compared.

A chat model (reasoning is a capability, not a kind) is priced per text token like any other chat
model; an embedding, a speech or an image model is not comparable with it. Each source's statement
is evidence of a kind (`evidence`): LiteLLM's `mode`, the input and output modalities models.dev
and OpenRouter state, the words of the id itself ('mistral-embed', 'kb-whisper-large',
'gpt-4o-realtime-preview'), which many sources list without a mode, a row on a chat leaderboard
(LMArena's text arena, Aider's coding board), and, weakest, a listing priced per text input and
output token with no audio, image or video output price. `choose` settles a model's kind from all
its evidence; a model none of it speaks for has no kind (unknown) and is paired with none.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

KINDS = ("chat", "embedding", "rerank", "speech_to_text", "text_to_speech", "image_generation", "video",
         "realtime_audio", "moderation", "ocr", "search", "evaluation")

# LiteLLM's `mode` values, as the kind of model they describe.
MODES = {"chat": "chat", "completion": "chat", "responses": "chat",
         "embedding": "embedding", "rerank": "rerank",
         "audio_transcription": "speech_to_text", "audio_speech": "text_to_speech",
         "image_generation": "image_generation", "image_edit": "image_generation",
         "video_generation": "video", "realtime": "realtime_audio",
         "moderation": "moderation", "guardrail": "moderation", "ocr": "ocr",
         "search": "search", "vector_store": "search",
         "evaluation": "evaluation", "decisions": "evaluation", "extraction": "evaluation"}

# Words of an id that name a kind by themselves, whatever a gateway's generic listing says.
NAME_WORDS = [(re.compile(r"embed|embedding|embeddings"), "embedding"),
              (re.compile(r"rerank|reranker|rerank\d.*"), "rerank"),
              (re.compile(r"whisper|transcribe|asr|stt"), "speech_to_text"),
              (re.compile(r"tts"), "text_to_speech"),
              (re.compile(r"realtime"), "realtime_audio"),
              (re.compile(r"moderation"), "moderation"),
              (re.compile(r"ocr"), "ocr")]
BASIS_ORDER = ("mode", "modalities", "name", "leaderboard", "prices")
# Benchmark sources whose boards rank chat models only.
CHAT_LEADERBOARDS = {"lmarena", "aider"}


class Evidence(NamedTuple):
    """One statement of a model's kind: by whom (`witness`: a source, or a source's provider) and
    on what `basis` (BASIS_ORDER)."""

    witness: str
    kind: str
    basis: str


def kind_of_mode(mode: str | None) -> str | None:
    return MODES.get(mode.strip().lower()) if mode else None


def kind_of_modalities(inputs: list[str] | None, outputs: list[str] | None) -> str | None:
    """Text out is chat (or speech-to-text when audio is the only input); audio, image or video
    alone out is speech, image or video generation."""
    if not outputs:
        return None
    ins, outs = set(inputs or ()), set(outputs) - {"pdf"}
    if "text" in outs:
        return "speech_to_text" if ins == {"audio"} else "chat"
    if outs == {"audio"}:
        return "text_to_speech"
    if outs == {"image"}:
        return "image_generation"
    if outs == {"video"}:
        return "video"
    return None


def kind_of_name(source_id: str) -> str | None:
    """The kind the id's own words name ('text-embedding-3-small', 'gpt-4o-mini-tts'), if any."""
    words = re.split(r"[^a-z0-9]+", source_id.lower().rsplit("/", 1)[-1])
    for pattern, kind in NAME_WORDS:
        if any(pattern.fullmatch(w) for w in words):
            return kind
    return None


def evidence(witness: str, source_id: str, mode: str | None = None, inputs: list[str] | None = None,
             outputs: list[str] | None = None, text_priced: bool = False, leaderboard: str | None = None
             ) -> list[Evidence]:
    """What one source's listing of an id says of its kind. `text_priced`: the listing prices input
    and output text tokens and no audio, image or video output; `leaderboard`: the benchmark
    source whose board lists the id."""
    found = [(kind_of_mode(mode), "mode"), (kind_of_modalities(inputs, outputs), "modalities"),
             (kind_of_name(source_id), "name"),
             ("chat" if leaderboard in CHAT_LEADERBOARDS else None, "leaderboard"),
             ("chat" if text_priced else None, "prices")]
    return [Evidence(witness, kind, basis) for kind, basis in found if kind]


def choose(found: list[Evidence]) -> tuple[str, str] | None:
    """(kind, basis) of a model from all its evidence; None when nothing states one.

    A specific kind a source states (a mode or modalities other than chat) wins over 'chat': a
    gateway lists every model it serves as chat ('vercel_ai_gateway/mistral/mistral-embed'), a
    vendor's own entry says what the model is. Among specific kinds, the one more witnesses state,
    then the stronger basis. Then a kind the id's words name, then chat (by mode or modalities
    first, then a leaderboard, then text prices)."""
    for specific in ([e for e in found if e.kind != "chat" and e.basis != "name"],
                     [e for e in found if e.kind != "chat"], found):
        if specific:
            witnesses = Counter(kind for kind, _ in {(e.kind, e.witness) for e in specific})
            best = min(specific, key=lambda e: (-witnesses[e.kind], BASIS_ORDER.index(e.basis), KINDS.index(e.kind)))
            return best.kind, best.basis
    return None
