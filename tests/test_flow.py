"""The nightly Prefect flow, run for real against a temporary Prefect server."""
from __future__ import annotations

import asyncio
import re
import shutil

import duckdb
import pytest

from flows.nightly import nightly_deployment, nightly_refresh, with_task_runner
from tests.conftest import DEMO_SNAPSHOT
from tests.test_ingest import LITELLM, variant

pytestmark = pytest.mark.usefixtures("prefect_server")


async def _artifact(key: str, flow_run_id=None):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    by_run = ArtifactFilterFlowRunId(any_=[flow_run_id]) if flow_run_id else None
    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=[key]), flow_run_id=by_run))
    return found[0]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    db = tmp_path_factory.mktemp("flow") / "w.duckdb"
    state = nightly_refresh(db=str(db), snapshot=str(DEMO_SNAPSHOT), export_dir=str(db.parent / "exports"),
                            site_dir=str(db.parent / "site"), return_state=True)
    return db, state


def test_flow_on_demo_snapshot_loads_everything_and_publishes_an_artifact(first_run):
    db, state = first_run
    assert state.is_completed() and state.name == "Completed", state.message
    with duckdb.connect(str(db), read_only=True) as con:
        statuses = dict(con.execute("SELECT source, status FROM run_sources").fetchall())
        models = con.execute("SELECT count(*) FROM models").fetchone()[0]
        pairs = con.execute("SELECT count(*) FROM comparisons").fetchone()[0]
    assert set(statuses.values()) == {"ok"} and {"modelsdev", "litellm", "openrouter"} <= set(statuses)
    assert models >= 20 and pairs >= models
    artifact = asyncio.run(_artifact("versus-run-summary", state.state_details.flow_run_id))  # this run's own
    assert "| litellm | ok |" in artifact.data and "Comparisons:" in artifact.data
    with duckdb.connect() as con:
        exported = con.execute(f"SELECT count(*) FROM '{db.parent / 'exports' / 'comparisons.parquet'}'").fetchone()[0]
    assert exported == pairs
    index = db.parent / "site" / "index.html"
    assert index.is_file() and (db.parent / "site").is_symlink(), "the run built the site"
    assert f"Site: [{index}]({index.as_uri()})" in artifact.data, "the run summary links the site"


def test_a_failing_source_leaves_the_others_loaded_and_earlier_data_kept(first_run, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(first_run[0], db)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM current_observations WHERE source = 'litellm'").fetchone()[0]
    snapshot = variant(tmp_path, {LITELLM: 503})
    state = nightly_refresh(db=str(db), snapshot=str(snapshot), sources=["litellm", "openrouter"], return_state=True)
    assert state.is_completed() and state.name == "Partial success"
    assert "litellm" in state.message
    with duckdb.connect(str(db), read_only=True) as con:
        outcome = dict(con.execute(
            "SELECT source, status FROM run_sources WHERE run_id = (SELECT max(run_id) FROM runs)").fetchall())
        after = con.execute("SELECT count(*) FROM current_observations WHERE source = 'litellm'").fetchone()[0]
        run_status = con.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()[0]
    assert outcome == {"litellm": "failed", "openrouter": "ok"} and run_status == "partial"
    assert after == before > 0


def test_a_source_the_snapshot_lacks_is_a_skipped_task_and_the_run_completes(first_run, tmp_path):
    from tests.test_skipped_sources import without

    db = tmp_path / "w.duckdb"
    shutil.copy(first_run[0], db)
    snapshot = without(tmp_path, lambda e: e["file"].startswith("pricing_pages/"))
    state = nightly_refresh(db=str(db), snapshot=str(snapshot), sources=["pricing_pages", "litellm"], return_state=True)
    assert state.is_completed() and state.name == "Completed", state.message
    assert "skipped pricing_pages (not in this snapshot)" in state.message
    summary = asyncio.run(_artifact("versus-run-summary", state.state_details.flow_run_id)).data
    assert "| pricing_pages | skipped | 0 | 0 | 0 | not in this snapshot |" in summary
    tasks = asyncio.run(_task_states(state.state_details.flow_run_id))
    assert tasks["load-pricing_pages"] == "Skipped" and tasks["load-litellm"] == "Completed"


async def _task_states(flow_run_id) -> dict[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with get_client() as client:
        runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {run.name: run.state.name for run in runs}


def test_flow_runs_on_a_local_dask_cluster(first_run, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(first_run[0], db)
    state = with_task_runner(local_dask=True)(
        db=str(db), snapshot=str(DEMO_SNAPSHOT), sources=["litellm", "openrouter"], return_state=True)
    assert state.is_completed() and state.name == "Completed", state.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    summary = asyncio.run(_artifact("versus-run-summary", state.state_details.flow_run_id)).data
    (where,) = [line for line in summary.splitlines() if line.startswith("Crawls ran on: ")]
    assert re.fullmatch(r"Crawls ran on: litellm: dask worker tcp://[\d.:]+; openrouter: dask worker tcp://[\d.:]+",
                        where), where


def test_the_thread_runner_says_where_its_crawls_ran(first_run):
    summary = asyncio.run(_artifact("versus-run-summary", first_run[1].state_details.flow_run_id)).data
    assert "Crawls ran on: modelsdev: pid " in summary and "dask worker" not in summary


def test_schedule_definition():
    deployment = nightly_deployment("0 3 * * *", "Europe/Paris", {"db": "/data/versus.duckdb"})
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 3 * * *" and schedule.schedule.timezone == "Europe/Paris"
    assert deployment.parameters == {"db": "/data/versus.duckdb"}
    assert deployment.concurrency_limit == 1


def test_prefect_yaml_deploys_the_nightly_flow():
    import importlib

    import yaml

    from tests.conftest import PROJECT_ROOT

    (deployment,) = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())["deployments"]
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert getattr(module, name) is nightly_refresh
    assert deployment["schedules"][0]["cron"] == "0 3 * * *"
    assert set(deployment["parameters"]) <= set(nightly_refresh.parameters.properties)


def test_crawl_progress_is_in_the_prefect_task_logs(first_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    async def logs():
        async with get_client() as client:
            return await client.read_logs(log_filter=LogFilter(
                flow_run_id=LogFilterFlowRunId(any_=[first_run[1].state_details.flow_run_id])))

    lines = [log.message for log in asyncio.run(logs()) if log.task_run_id is not None]
    assert any(re.fullmatch(r"  crawl litellm: 1 requests done, finished, 1 documents, 0 errors, [\d.]+s", m)
               for m in lines), lines[:20]
