"""The cost engine against the peers' own calculators, on the 2026-08 snapshot's data.

- genai-prices: `genai_prices` 0.1.4 (its bundled data is the 2026-08 feed, pydantic/genai-prices@47df840)
  fed the snapshot's data.json through its `data_snapshot` module; each model priced with its own
  `ModelInfo.calc_price` (what `calc_price` calls once it has found the model: some ids, such as
  AWS's 'regional.*' ones, do not match their own match clause, so the lookup is skipped).
- LiteLLM: `litellm` 1.109.1, whose bundled price file is the snapshot's (the test checks the
  hash), offline (LITELLM_LOCAL_MODEL_COST_MAP=True): `cost_per_token` for the standard tier and
  LiteLLM's batch calculator (`cost_calculator.batch_cost_calculator`, which reads the `_batches`
  keys; `cost_per_token` has no batch switch) for the batch tier.

versus' side is each source's own rows in `offering_prices` (not the cross-source merge), priced
by `records.cost.price`. The two agree to the cent, or the case is one of the reasoned
disagreements named below; any other difference fails the test.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from records.cost import PriceRow, Usage, price

CENT = Decimal("0.005")
# An evening hour: outside DeepSeek's off-peak window (00:30-16:30 UTC) that genai-prices states.
GENAI_AT = datetime(2026, 8, 21, 20, tzinfo=timezone.utc)

# Reasoned disagreements, by what the peer does that versus does not:
GENAI_PER_REQUEST_FEE = "genai-prices adds a per-request fee (requests_kcount), which versus does not price"
LITELLM_FILLS_SILENCE = ("LiteLLM fills a component the entry does not state (a batch rate as half the standard "
                         "rate, a cache rate as the input rate, a tier price as the lower tier's); versus says unknown")
LITELLM_OFF_PEAK = ("LiteLLM applies the entry's off_peak_pricing at the time of the call; versus prices the "
                    "all-day rate (it does not read LiteLLM's off-peak block)")


def source_rows(con, source: str) -> dict[tuple[str, str], list[PriceRow]]:
    """(source provider id, source model id) -> that source's current all-day price rows."""
    out: dict[tuple[str, str], list[PriceRow]] = defaultdict(list)
    for sp, route, component, tier, threshold, inclusive, usd in con.execute("""
            SELECT o.source_provider_id, p.route, p.component, p.service_tier, p.threshold_tokens,
                   p.threshold_inclusive, p.usd_per_mtok
            FROM offering_prices p JOIN offerings o USING (model_id, provider_id, source, route)
            WHERE p.source = ? AND p.valid_to IS NULL AND p.in_force AND p.hours IS NULL AND o.active""",
                                                                    [source]).fetchall():
        model_id = route.split(":", 1)[1] if route.startswith(sp + ":") else route
        out[(sp, model_id)].append(PriceRow(component=component, service_tier=tier, threshold_tokens=threshold,
                                            threshold_inclusive=inclusive, usd_per_mtok=usd))
    return out


def usages(rows: list[PriceRow], tiers: tuple[str, ...] = ("standard",)) -> list[Usage]:
    """Both sides of every threshold (or a short and a long prompt), plain, half read from cache,
    a tenth written to cache (where the route prices those), at each service tier stated."""
    components = {r.component for r in rows}
    thresholds = sorted({r.threshold_tokens for r in rows if r.threshold_tokens})
    prompts = [n for t in thresholds for n in (t, t + 1)] or [1_000, 100_000]
    output = 1_000 if "output" in components else 0
    out = []
    for tier in tiers:
        for n in prompts:
            for read, write in ((0, 0), (n // 2, 0), (0, n // 10)):
                if (read and "cache_read" not in components) or (write and "cache_write_5m" not in components):
                    continue
                out.append(Usage(input_tokens=n, output_tokens=output, cache_read_tokens=read,
                                 cache_write_tokens=write, service_tier=tier))
    return out


def stated(rows: list[PriceRow], component: str) -> bool:
    return any(r.component == component for r in rows)


@pytest.fixture(scope="module")
def genai_snapshot(shared_snapshots):
    types = pytest.importorskip("genai_prices.types")
    from genai_prices import data_snapshot

    feed = json.loads((shared_snapshots / "2026-08" / "genai-prices" / "data.json").read_bytes())
    snapshot = data_snapshot.DataSnapshot(providers=types._providers_from_raw(feed), from_auto_update=False)
    data_snapshot.set_custom_snapshot(snapshot)
    yield snapshot
    data_snapshot.set_custom_snapshot(None)


def test_versus_agrees_with_genai_prices_calc_price(august, genai_snapshot):
    from genai_prices import Usage as GenaiUsage

    providers = {p.id: p for p in genai_snapshot.providers}
    outcome: Counter = Counter()
    unexplained = []
    for (provider_id, model_id), rows in sorted(source_rows(august, "genai_prices").items()):
        provider = providers[provider_id]
        model = next(m for m in provider.models if m.id == model_id)
        for usage in usages(rows):
            ours = price(rows, usage)
            theirs = model.calc_price(GenaiUsage(
                input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                cache_read_tokens=usage.cache_read_tokens, cache_write_tokens=usage.cache_write_tokens),
                provider, genai_request_timestamp=GENAI_AT).total_price
            if ours.usd is not None and abs(ours.usd - theirs) < CENT:
                outcome["agree" if ours.usd == theirs else "agree to the cent"] += 1
            elif ours.usd is not None and model.get_prices(GENAI_AT).requests_kcount and ours.usd < theirs:
                outcome[GENAI_PER_REQUEST_FEE] += 1
            else:
                unexplained.append((provider_id, model_id, usage, ours.usd, ours.unknown_components, theirs))
    assert not unexplained, unexplained[:10]
    assert sum(outcome.values()) >= 300
    assert outcome["agree"] >= 3_000 and outcome[GENAI_PER_REQUEST_FEE] <= 10, outcome
    # the cases cover tiers on both sides of their threshold, cache reads and writes
    tiered = [r for rows in source_rows(august, "genai_prices").values() for r in rows if r.threshold_tokens]
    assert len({r.threshold_tokens for r in tiered}) >= 3


@pytest.fixture(scope="module")
def litellm_module(shared_snapshots):
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    litellm = pytest.importorskip("litellm")
    from importlib import resources

    bundled = resources.files("litellm").joinpath("model_prices_and_context_window_backup.json").read_bytes()
    ours = (shared_snapshots / "2026-08" / "litellm" / "model_prices_and_context_window.json").read_bytes()
    assert hashlib.sha256(bundled).hexdigest() == hashlib.sha256(ours).hexdigest(), "litellm is not 1.109.1's file"
    return litellm


def _litellm_cost(litellm, key: str, provider: str, usage: Usage) -> Decimal:
    from litellm.cost_calculator import batch_cost_calculator
    from litellm.types.utils import Usage as LitellmUsage

    if usage.service_tier == "batch":
        prompt, completion = batch_cost_calculator(LitellmUsage(
            prompt_tokens=usage.input_tokens, completion_tokens=usage.output_tokens,
            total_tokens=usage.input_tokens + usage.output_tokens, cache_read_input_tokens=usage.cache_read_tokens,
            cache_creation_input_tokens=usage.cache_write_tokens), key, custom_llm_provider=provider)
    else:
        prompt, completion = litellm.cost_per_token(
            model=key, prompt_tokens=usage.input_tokens, completion_tokens=usage.output_tokens,
            cache_read_input_tokens=usage.cache_read_tokens, cache_creation_input_tokens=usage.cache_write_tokens,
            custom_llm_provider=provider)
    return Decimal(repr(prompt)) + Decimal(repr(completion))


def test_versus_agrees_with_litellm_cost_per_token(august, litellm_module):
    """Chat entries with tiers, batch rates or cache-write rates: the components worth checking."""
    outcome: Counter = Counter()
    unexplained = []
    for (provider, key), rows in sorted(source_rows(august, "litellm").items()):
        entry = litellm_module.model_cost.get(key, {})
        tiers = tuple(sorted({r.service_tier for r in rows} & {"standard", "batch"}))
        if entry.get("mode") != "chat" or not (stated(rows, "input") and stated(rows, "output")):
            continue
        if not (any(r.threshold_tokens for r in rows) or "batch" in tiers or stated(rows, "cache_write_5m")):
            continue
        for usage in usages(rows, tiers):
            ours = price(rows, usage)
            theirs = _litellm_cost(litellm_module, key, provider, usage)
            if ours.usd is not None and abs(ours.usd - theirs) < CENT:
                outcome["agree"] += 1
            elif ours.usd is None and all(not any(
                    r.component == c.split(" ")[0] and r.service_tier == usage.service_tier
                    and r.threshold_tokens == ours.tier.threshold_tokens for r in rows)
                    for c in ours.unknown_components):
                outcome[LITELLM_FILLS_SILENCE] += 1
            elif ours.usd is not None and "off_peak_pricing" in entry:
                outcome[LITELLM_OFF_PEAK] += 1
            else:
                unexplained.append((provider, key, usage, ours.usd, ours.unknown_components, theirs))
    assert not unexplained, unexplained[:10]
    assert outcome["agree"] >= 3_000, outcome
    assert sum(outcome.values()) >= 300
