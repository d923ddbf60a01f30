"""Hand-curated data files (`pipeline/*.yaml`): YAML read through a pydantic schema.

A typo is rejected with the file, the line and the entry it is in, e.g.
`pipeline/aliases.yaml:41: aliases[3].sorce: Extra inputs are not permitted`.
`python -m pipeline.curated --schemas docs/schema` writes each file's JSON Schema (from its model in
`CURATED_FILES`) for editors to validate an edit against.
"""
from __future__ import annotations

import argparse
import importlib
import json
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


# Each curated file and its schema, by dotted path (imported only to write schemas: every module named
# here imports this one). site_pairs.yaml's model lives with the site that reads it.
CURATED_FILES = {
    "aliases.yaml": "pipeline.identity.aliases:AliasFile",
    "benchmarks.yaml": "pipeline.benchmarks:BenchmarkFile",
    "fields.yaml": "pipeline.observation:FieldsFile",
    "precedence.yaml": "pipeline.reconcile:Precedence",
    "pricing_pages.yaml": "pipeline.sources.pricing_pages:PagesFile",
    "profiles.yaml": "records.cost:ProfileFile",
    "providers.yaml": "pipeline.identity.providers:ProviderFile",
    "site_pairs.yaml": "warehouse.site.selection:PairsFile",
    "sources.yaml": "pipeline.source_policy:SourcePolicies",
}


class CuratedFileError(ValueError):
    """A curated file that does not match its schema: names file, line and entry.

    `errors` holds pydantic's errors (empty for invalid YAML); `data` and `node` the parsed file and
    its YAML node tree, for a caller that words the message its own way."""

    def __init__(self, message: str, errors: list | None = None, data: object = None,
                 node: yaml.Node | None = None):
        super().__init__(message)
        self.errors, self.data, self.node = errors or [], data, node


def line(node: yaml.Node, loc: tuple) -> int:
    """The 1-based line of the deepest node `loc` reaches in the YAML node tree."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v if isinstance(part, str) and v is not None else k for k, v in node.value
                     if k.value == str(part)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1


def _entry(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(top)"


def load_text(text: str, name: str, schema: type[M]) -> M:
    """Validate YAML `text` against `schema`; errors name `name`, the line and the entry."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise CuratedFileError(f"{name}: not valid YAML: {exc}") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=loader)  # only now: the node tree knows the lines
        errors = [{**err, "loc": tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))}
                  for err in exc.errors()]
        problems = [f"{name}:{line(node, e['loc']) if node is not None else 1}: {_entry(e['loc'])}: {e['msg']}"
                    for e in errors]
        raise CuratedFileError("\n".join(problems), errors, data, node) from None


def load(filename: str, schema: type[M], package: str = "pipeline") -> M:
    """Read `package/filename` and validate it against `schema`."""
    text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    return load_text(text, f"{package}/{filename}", schema)


def schema(filename: str) -> dict:
    """The JSON Schema of curated `filename`, from its pydantic model."""
    module, _, attr = CURATED_FILES[filename].partition(":")
    model = getattr(importlib.import_module(module), attr)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}


def schema_text(filename: str) -> str:
    return json.dumps(schema(filename), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write `<file>.schema.json` for every curated file into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in CURATED_FILES:
        path = folder / f"{Path(filename).stem}.schema.json"
        path.write_text(schema_text(filename), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m pipeline.curated", description=__doc__.split("\n")[0])
    parser.add_argument("--schemas", metavar="FOLDER", type=Path, required=True,
                        help="write each curated file's JSON Schema into FOLDER (docs/schema)")
    for written in write_schemas(parser.parse_args().schemas):
        print(written)
