"""A model fact its deciding sources dispute is unknown, with the dispute shown (precedence.yaml
`disputed_by`, `day_one_is_month`); a route keeps its own limit. Expected values are the demo
snapshot's: LiteLLM's `deepseek/deepseek-r1` (the DeepSeek API) states max_input_tokens 65536,
models.dev's models.json `deepseek/deepseek-r1` limit.context 128000; models.dev's Mistral entry
`mistral-nemo` release_date 2024-07-01, its Azure entry 2024-07-18 (Mistral's announcement)."""
from __future__ import annotations

import duckdb
import pytest
from pydantic import ValidationError

from pipeline.reconcile import FieldRule
from tests.comparison_helpers import demo_template


@pytest.fixture(scope="module")
def demo():
    con = duckdb.connect(str(demo_template()), read_only=True)
    yield con
    con.close()


def conflict(con, entity: str, field: str):
    return con.execute("SELECT chosen, chosen_source, reason, candidates FROM conflicts WHERE entity = ? AND field = ?",
                       [entity, field]).fetchone()


def stated(candidates, source: str, provider: str | None) -> set[str]:
    return {c["value"] for c in candidates if c["source"] == source and c["provider"] == provider}


def test_r1_context_is_unknown_with_the_vendor_route_and_the_catalogue_shown(demo):
    (window,) = demo.execute("SELECT context_window FROM models WHERE model_id = 'deepseek/deepseek-r1'").fetchone()
    assert window is None
    chosen, chosen_source, reason, candidates = conflict(demo, "deepseek/deepseek-r1", "context_window")
    assert chosen is None and chosen_source is None
    assert "65536" in stated(candidates, "litellm", "deepseek")
    assert "128000" in stated(candidates, "modelsdev", None)
    assert reason.startswith("disputed, so unknown") and "catalogue (modelsdev 128000)" in reason
    # the DeepSeek API's own limit stays on its route
    assert demo.execute("SELECT context_window FROM offerings WHERE model_id = 'deepseek/deepseek-r1' "
                        "AND provider_id = 'deepseek' AND active").fetchall() == [(65536,)]
    # lineage publishes nothing for the disputed column
    assert not demo.execute("SELECT count(*) FROM lineage WHERE entity = 'deepseek/deepseek-r1' "
                            "AND field = 'context_window' AND (chosen OR exact)").fetchone()[0]


def test_nemo_release_is_unknown_with_both_days_shown(demo):
    (released,) = demo.execute("SELECT release_date FROM models WHERE model_id = 'mistralai/mistral-nemo'").fetchone()
    assert released is None
    chosen, _, reason, candidates = conflict(demo, "mistralai/mistral-nemo", "release_date")
    assert chosen is None
    assert stated(candidates, "modelsdev", "mistral") == {"2024-07-01"}
    assert stated(candidates, "modelsdev", "azure") == {"2024-07-18"}
    assert "read as the month" in reason and "modelsdev/azure" in reason


def test_an_undisputed_fact_is_still_published(demo):
    """Guards against a rule that blanks every column: vendor and catalogue agree on Mistral NeMo's window."""
    (window,) = demo.execute("SELECT context_window FROM models WHERE model_id = 'mistralai/mistral-nemo'").fetchone()
    assert window == 128000
    (released,) = demo.execute("SELECT release_date FROM models WHERE model_id = 'openai/gpt-4o-mini'").fetchone()
    assert released is not None


def test_disputed_by_names_deciding_classes_only():
    with pytest.raises(ValidationError, match="disputed_by"):
        FieldRule.model_validate({"order": ["vendor"], "disputed_by": ["provider"]})
