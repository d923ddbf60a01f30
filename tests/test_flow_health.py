"""The Prefect run says what `versus status --check` would: a held source (its load task `Held`, the
flow `Partial success`) and a stale one, in the flow's message and the run summary artifact."""
from __future__ import annotations

import asyncio
import json

import pytest

from flows.nightly import nightly_refresh
from tests.conftest import DEMO_SNAPSHOT
from tests.replay_helpers import LITELLM_FILE, snapshot_copy
from tests.test_cli import versus
from tests.test_flow import _artifact

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_the_flow_run_names_a_held_and_a_stale_source(tmp_path):
    db = tmp_path / "w.duckdb"
    assert versus("refresh", "--snapshot", str(DEMO_SNAPSHOT), "--db", str(db),
                  "-s", "litellm", "-s", "genai_prices").returncode == 0
    entries = list(json.loads((DEMO_SNAPSHOT / LITELLM_FILE).read_text()).items())
    # LiteLLM cut to a tenth; the snapshot dated 2026-09-30, 39 days after genai-prices last loaded
    snapshot = snapshot_copy(tmp_path / "cut", {"litellm", "genai_prices"},
                             {LITELLM_FILE: json.dumps(dict(entries[: len(entries) // 10])).encode()},
                             as_of={"genai_prices/data.json": "2026-09-30T00:00:00+00:00"})
    state = nightly_refresh(db=str(db), snapshot=str(snapshot), sources=["litellm"], return_state=True)
    assert state.is_completed() and state.name == "Partial success", state.message
    assert "held litellm (`versus accept SOURCE` applies)" in state.message, state.message
    assert "stale genai_prices (no successful fetch for 39.0 d (since 2026-08-22; limit 14 d))" in state.message

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def task_states():
        async with get_client() as client:
            runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
        return {r.name: r.state.name for r in runs}

    assert asyncio.run(task_states())["load-litellm"] == "Held"
    artifact = asyncio.run(_artifact("versus-run-summary", state.state_details.flow_run_id))
    assert "| litellm | held |" in artifact.data
    assert "Stale sources: genai\\_prices: no successful fetch for 39.0 d (since 2026-08-22; limit 14 d)" in artifact.data
