"""Prices per non-token unit (characters, images, seconds) on 2026-08: stored as the source states
them, shown in their unit, never in token prices or costs. Expected values are LiteLLM's 2026-08
file: `tts-1` input_cost_per_character 1.5e-05 (OpenAI's $15 per 1M characters), `whisper-1`
input_cost_per_second 0.0001 ($0.006 a minute)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pipeline.observation import Observation
from records import figures as fig
from warehouse.site.catalog import unit_prices


@pytest.fixture(scope="module")
def litellm_file(shared_snapshots):
    (path,) = (shared_snapshots / "2026-08" / "litellm").iterdir()
    return json.loads(path.read_text())


def test_tts_and_whisper_prices_are_kept_in_their_units(august, litellm_file):
    stated = {"tts-1": ("input_per_character", litellm_file["tts-1"]["input_cost_per_character"]),
              "whisper-1": ("input_per_second", litellm_file["whisper-1"]["input_cost_per_second"])}
    for route, (component, usd) in stated.items():
        (model_id,) = august.execute("SELECT model_id FROM model_aliases WHERE source = 'litellm' AND source_id = ?",
                                     [route]).fetchone()
        found = {(u.route, u.component): u.usd for u in unit_prices(august, [model_id])[model_id]}
        assert found[(route, component)] == Decimal(str(usd))
        # never blended into the route's token prices
        (inp,) = august.execute("SELECT input_usd_per_mtok FROM offerings WHERE source = 'litellm' AND route = ?",
                                [route]).fetchone()
        assert inp is None
    assert fig.usd_per_unit(Decimal("0.000015"), "input_per_character") == "$15.00 per 1M characters"
    assert fig.usd_per_unit(Decimal("0.0001"), "input_per_second") == "$0.0001 per second"


def test_a_unit_price_cannot_pass_as_a_token_price():
    base = dict(source="litellm", url="u", fetched_at="2026-08-01T00:00:00Z", document_sha256="0" * 64, model_id="tts-1")
    with pytest.raises(ValueError, match="not a component of price_usd_per_mtok"):
        Observation(**base, field="price_usd_per_mtok", value="15", price={"component": "input_per_character"})
    with pytest.raises(ValueError, match="not a component of price_usd_per_unit"):
        Observation(**base, field="price_usd_per_unit", value="15", price={"component": "input"})
