"""Kinds of model: the evidence rules (pipeline/identity/kinds.py), and on 2026-08 that comparisons
and the site pair models of one kind only."""
from decimal import Decimal

import pytest

from pipeline.identity import kinds
from pipeline.identity.kinds import Evidence
from warehouse.site.selection import Candidate, nearest


@pytest.mark.parametrize("mode, kind", [
    ("chat", "chat"), ("responses", "chat"), ("completion", "chat"), ("embedding", "embedding"),
    ("rerank", "rerank"), ("audio_transcription", "speech_to_text"), ("audio_speech", "text_to_speech"),
    ("image_generation", "image_generation"), ("video_generation", "video"), ("realtime", "realtime_audio"),
    ("moderation", "moderation"), ("ocr", "ocr"), ("evaluation", "evaluation"), ("no-such-mode", None)])
def test_litellm_modes_name_kinds(mode, kind):
    assert kinds.kind_of_mode(mode) == kind


@pytest.mark.parametrize("inputs, outputs, kind", [
    (["text"], ["text"], "chat"), (["image", "text"], ["text"], "chat"),
    (["audio"], ["text"], "speech_to_text"),            # models.dev's evroc entry for KBLab/kb-whisper-large
    (["text"], ["audio"], "text_to_speech"), (["text"], ["image"], "image_generation"),
    (["text", "image"], ["video"], "video"), (["text"], None, None)])
def test_modalities_name_kinds(inputs, outputs, kind):
    assert kinds.kind_of_modalities(inputs, outputs) == kind


@pytest.mark.parametrize("source_id, kind", [
    ("mistral-embed", "embedding"), ("cohere/embed-v4.0", "embedding"), ("text-embedding-3-small", "embedding"),
    ("gpt-4o-realtime-preview", "realtime_audio"), ("KBLab/kb-whisper-large", "speech_to_text"),
    ("gpt-4o-mini-tts", "text_to_speech"), ("rerank-v3.5", "rerank"), ("mistral-ocr-latest", "ocr"),
    ("claude-3-5-sonnet", None), ("deepseek-reasoner", None), ("embedded-llama-70b", None)])
def test_id_words_name_kinds(source_id, kind):
    assert kinds.kind_of_name(source_id) == kind


def test_a_vendors_specific_kind_wins_over_a_gateways_chat():
    """LiteLLM 1.109.1 lists `mistral/mistral-embed` with mode embedding and
    `vercel_ai_gateway/mistral/mistral-embed` with mode chat; models.dev says text in, text out."""
    found = [*kinds.evidence("litellm/mistral", "mistral/mistral-embed", mode="embedding"),
             *kinds.evidence("litellm/vercel_ai_gateway", "vercel_ai_gateway/mistral/mistral-embed", mode="chat"),
             *kinds.evidence("modelsdev/mistral", "mistral-embed", inputs=["text"], outputs=["text"])]
    assert kinds.choose(found) == ("embedding", "mode")


def test_more_witnesses_decide_between_specific_kinds_then_the_basis():
    two = [Evidence("a", "text_to_speech", "modalities"), Evidence("b", "text_to_speech", "mode"),
           Evidence("c", "realtime_audio", "mode")]
    assert kinds.choose(two) == ("text_to_speech", "mode")
    assert kinds.choose([Evidence("a", "chat", "prices"), Evidence("b", "chat", "leaderboard")]) == ("chat", "leaderboard")
    assert kinds.choose([Evidence("a", "chat", "mode"), Evidence("a", "realtime_audio", "name")]) == ("realtime_audio", "name")
    assert kinds.choose([]) is None


def test_text_prices_and_chat_leaderboards_are_chat_evidence_and_nothing_else_is():
    assert kinds.evidence("genai_prices/openai", "babbage", text_priced=True) == [Evidence("genai_prices/openai", "chat", "prices")]
    assert kinds.evidence("lmarena", "stripedhyena-nous-7b", leaderboard="lmarena") == [Evidence("lmarena", "chat", "leaderboard")]
    assert kinds.evidence("modelsdev", "some-model", leaderboard="modelsdev") == []
    assert kinds.evidence("genai_prices/amazon", "nova-sonic") == []


def test_site_selection_never_pairs_two_kinds():
    def c(model_id, kind, price):
        return Candidate(model_id, model_id, None, Decimal(price), frozenset(), kind)
    models = [c("x/chat-a", "chat", "1"), c("x/chat-b", "chat", "1.1"), c("x/embed-a", "embedding", "1.05"),
              c("x/embed-b", "embedding", "0.9"), c("x/unknown", None, "1")]
    pairs = nearest(models)
    assert set(pairs) == {("x/chat-a", "x/chat-b"), ("x/embed-a", "x/embed-b")}


@pytest.fixture(scope="module")
def august_compared(august):
    """The august warehouse with its comparisons refreshed."""
    from datetime import date

    from warehouse.comparisons import refresh_comparisons

    refresh_comparisons(august, 1, date(2026, 8, 22))
    return august


@pytest.mark.parametrize("model_id, kind", [
    ("mistralai/mistral-embed", "embedding"),            # LiteLLM mistral: mode embedding
    ("cohere/embed-v4.0", "embedding"),                  # LiteLLM cohere: mode embedding
    ("openai/gpt-4o-realtime-preview", "realtime_audio"),
    ("kblab/kb-whisper-large", "speech_to_text"),        # models.dev evroc: audio in, text out
    ("openai/gpt-4o-mini-tts", "text_to_speech"),
    ("openai/gpt-4o-mini", "chat"), ("mistralai/mistral-large-2407", "chat")])
def test_2026_08_kinds(august, model_id, kind):
    assert august.execute("SELECT kind FROM models WHERE model_id = ?", [model_id]).fetchall() == [(kind,)]


def test_2026_08_no_comparison_pairs_two_kinds(august_compared):
    con = august_compared
    mixed = con.execute("""SELECT count(*) FROM comparisons c JOIN models a ON a.model_id = c.model_a
                           JOIN models b ON b.model_id = c.model_b WHERE a.kind IS DISTINCT FROM b.kind""").fetchone()[0]
    assert mixed == 0
    per_kind = dict(con.execute("SELECT kind, count(*) FROM comparison_models GROUP BY ALL").fetchall())
    # `comparisons` stores the pairs people read; the pairs computable on demand are every pairable one
    pairs = con.execute("SELECT count(*) FROM comparison_pair_keys(CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]))"
                        ).fetchone()[0]
    own_names = con.execute("""SELECT count(*) FROM comparison_models a, unnest(a.alias_candidates) u(candidate)
                               JOIN comparison_models b ON b.model_id = u.candidate AND b.kind = a.kind""").fetchone()[0]
    assert own_names > 0  # gpt-4o and its snapshots, mistral-large and its...
    assert pairs == sum(n * (n - 1) // 2 for kind, n in per_kind.items() if kind is not None) - own_names
    assert per_kind["chat"] > 1000 and per_kind["embedding"] > 20


def test_2026_08_kind_conflicts_cite_their_documents(august):
    rows = august.execute("""SELECT entity, chosen, candidates FROM conflicts WHERE field = 'kind'""").fetchall()
    assert rows
    embed = {e: (chosen, cands) for e, chosen, cands in rows}["mistralai/mistral-embed"]
    assert embed[0] == "embedding"
    assert {"source": "litellm", "value": "chat (mode)"}.items() <= next(
        c for c in embed[1] if c["source_id"] == "vercel_ai_gateway/mistral/mistral-embed").items()
    assert all(c["url"] and c["as_of"] for _, _, cands in rows for c in cands)


def test_compare_and_export_refuse_two_kinds_and_a_moving_alias_with_its_snapshot(tmp_path):
    import typer
    from typer.testing import CliRunner

    from flows.cli.compare import register
    from tests.comparison_helpers import demo_warehouse

    db = tmp_path / "w.duckdb"
    con = demo_warehouse(db)  # the demo refresh: gpt-4o is a moving alias of three snapshots
    assert con.execute("SELECT alias_candidates FROM models WHERE model_id = 'openai/gpt-4o'").fetchone()[0] == [
        "openai/gpt-4o-2024-05-13", "openai/gpt-4o-2024-08-06", "openai/gpt-4o-2024-11-20"]
    con.execute("UPDATE models SET kind = 'embedding' WHERE model_id = 'qwen/qwen2-7b-instruct'")  # as if it were one
    con.close()
    app = typer.Typer()
    register(app)

    def run(*args):
        return CliRunner().invoke(app, [*args, "--db", str(db)])

    alias = run("compare", "openai/gpt-4o", "openai/gpt-4o-2024-11-20")
    assert alias.exit_code == 2 and "moving alias that may name openai/gpt-4o-2024-11-20" in alias.stderr
    kinds = run("compare", "qwen/qwen2-7b-instruct", "mistralai/mistral-small-2603")
    assert kinds.exit_code == 2 and "of kind embedding" in kinds.stderr and "of kind chat" in kinds.stderr
    pages = run("export", "--format", "md", "--out", str(tmp_path / "out"), "--pair",
                "qwen/qwen2-7b-instruct,mistralai/mistral-small-2603")
    assert pages.exit_code == 2 and "one kind only" in pages.stderr
    assert run("compare", "openai/gpt-4o", "mistralai/mistral-small-2603").exit_code == 0
