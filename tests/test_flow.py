"""The nightly Prefect flow, run for real against a temporary Prefect server."""
from __future__ import annotations

import asyncio
import shutil

import duckdb
import pytest

from flows.nightly import nightly_deployment, nightly_refresh, with_task_runner
from tests.conftest import DEMO_SNAPSHOT
from tests.test_ingest import LITELLM, variant

pytestmark = pytest.mark.usefixtures("prefect_server")


async def _artifact(key: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
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
    artifact = asyncio.run(_artifact("versus-run-summary"))
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


def test_flow_runs_on_a_local_dask_cluster(first_run, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(first_run[0], db)
    state = with_task_runner(local_dask=True)(
        db=str(db), snapshot=str(DEMO_SNAPSHOT), sources=["litellm", "openrouter"], return_state=True)
    assert state.is_completed() and state.name == "Completed", state.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


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
