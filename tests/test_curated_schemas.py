"""Curated files (`pipeline/*.yaml`): each read through `pipeline.curated`, each with a committed JSON
Schema in `docs/schema/` generated from its pydantic model (`python -m pipeline.curated --schemas docs/schema`)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from pipeline import curated

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schema"
REGENERATE = "regenerate with `.venv/bin/python -m pipeline.curated --schemas docs/schema`"


def test_every_curated_file_has_a_model_and_a_committed_schema():
    assert sorted(curated.CURATED_FILES) == sorted(p.name for p in (ROOT / "pipeline").glob("*.yaml"))
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(
        f"{Path(f).stem}.schema.json" for f in curated.CURATED_FILES), REGENERATE


@pytest.mark.parametrize("filename", sorted(curated.CURATED_FILES))
def test_the_committed_schema_is_the_one_its_model_generates(filename):
    committed = (SCHEMAS / f"{Path(filename).stem}.schema.json").read_text(encoding="utf-8")
    assert committed == curated.schema_text(filename), f"docs/schema for {filename} is stale: {REGENERATE}"


@pytest.mark.parametrize("filename", sorted(curated.CURATED_FILES))
def test_the_curated_file_validates_against_its_schema(filename):
    """What an editor checks: the file as committed passes its schema (dates as the strings YAML wrote)."""
    data = json.loads(json.dumps(yaml.safe_load((ROOT / "pipeline" / filename).read_text()), default=str))
    schema = json.loads((SCHEMAS / f"{Path(filename).stem}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []


def test_a_schema_rejects_a_typo_an_editor_would_flag():
    schema = json.loads((SCHEMAS / "fields.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError, match="'mn' was unexpected"):
        jsonschema.validate({"context_window": {"type": "int", "mn": 512}}, schema)


def _packaged_copy_run(tmp_path: Path, filename: str, old: str, new: str, code: str) -> subprocess.CompletedProcess:
    """Run `code` against a copy of the `pipeline` package whose packaged `filename` has `old` made `new`."""
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "pipeline" / filename
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is no longer once in {filename}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    check = f"import pipeline; assert pipeline.__file__.startswith({str(tmp_path)!r}), pipeline.__file__\n"
    return subprocess.run([sys.executable, "-c", check + code], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)},
                          capture_output=True, text=True, timeout=120)


def _line_of(filename: str, start: str) -> int:
    """The 1-based line of `pipeline/filename` that starts with `start`, read from the file."""
    lines = (ROOT / "pipeline" / filename).read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, 1) if line.startswith(start)]
    return number


def test_a_typo_in_fields_yaml_names_the_file_the_line_and_the_entry(tmp_path):
    line = _line_of("fields.yaml", "context_window:")
    proc = _packaged_copy_run(tmp_path, "fields.yaml", "context_window:           {type: int, unit: tokens, min: 512,",
                              "context_window:           {type: int, unit: tokens, mn: 512,",
                              "from pipeline.observation import field_specs\nfield_specs()")
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith(
        f"CuratedFileError: pipeline/fields.yaml:{line}: context_window.mn: Extra inputs are not permitted"), proc.stderr


def test_a_typo_in_pricing_pages_yaml_names_the_file_the_line_and_the_entry(tmp_path):
    line = _line_of("pricing_pages.yaml", "  - provider_id: togetherai")
    entry = "  - provider_id: togetherai\n    url: https://www.together.ai/pricing\n"
    proc = _packaged_copy_run(tmp_path, "pricing_pages.yaml", entry, entry + "    unt: per_million\n",
                              "from pipeline.sources.pricing_pages import configured_pages\nconfigured_pages()")
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith(
        f"ConfigError: pipeline/pricing_pages.yaml: entry 2 (https://www.together.ai/pricing) at line {line}: "
        "unt: Extra inputs are not permitted"), proc.stderr
