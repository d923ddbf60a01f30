"""Benchmarks versus knows, curated in `pipeline/benchmarks.yaml`: one benchmark and one metric per
entry, the spellings sources use for it, the metric's range, and which sources' rows are copies.

Pure: `lookup` names the benchmark a source's row is (or None), `lmarena_benchmark` the one an
LMArena category is; `benchmark_rows` are the `benchmarks` warehouse table's rows.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline import curated

ANY = "*"


class Match(BaseModel):
    """One spelling of a benchmark as a source writes it; an omitted key matches a row without it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    version: str | None = None
    dataset: str | None = None
    metric: str | None = None


class Benchmark(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    benchmark_id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    name: str = Field(min_length=1)
    metric: str = Field(min_length=1)
    unit: Literal["percent", "points"]
    min: Decimal
    max: Decimal
    higher_is_better: bool = True
    significance: Literal["interval", "none"] = "none"
    url: str | None = None
    description: str | None = None
    match: tuple[Match, ...] = ()


class Copy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    benchmark_id: str
    of: str


class Arena(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str
    metric: str
    unit: Literal["points"]
    min: Decimal
    max: Decimal
    categories: dict[str, str] = Field(min_length=1)


class BenchmarkFile(BaseModel):
    """Schema of `pipeline/benchmarks.yaml`."""

    model_config = ConfigDict(extra="forbid")
    copies: list[Copy] = []
    lmarena: Arena
    benchmarks: list[Benchmark]

    @model_validator(mode="after")
    def _consistent(self) -> BenchmarkFile:
        ids, spellings = set(), {}
        for b in self.benchmarks:
            if b.benchmark_id in ids:
                raise ValueError(f"benchmark_id {b.benchmark_id!r} is listed twice")
            ids.add(b.benchmark_id)
            if b.min >= b.max:
                raise ValueError(f"{b.benchmark_id}: min must be below max")
            for m in b.match:
                k = _key(m.name, m.version, m.dataset, m.metric)
                if k in spellings:
                    raise ValueError(f"{b.benchmark_id}: {m.name!r} already matches {spellings[k]!r}")
                spellings[k] = b.benchmark_id
        for c in self.copies:
            if c.benchmark_id not in ids:
                raise ValueError(f"copies: {c.benchmark_id!r} is not a benchmark listed under `benchmarks`")
        return self


def _key(name: str, version: object, dataset: object, metric: object) -> tuple:
    norm = lambda v: None if v is None else " ".join(str(v).split()).casefold()  # noqa: E731
    return norm(name), norm(version), norm(dataset), norm(metric)


@cache
def benchmark_file() -> BenchmarkFile:
    return curated.load("benchmarks.yaml", BenchmarkFile)


@cache
def _index() -> dict[tuple, Benchmark]:
    return {_key(m.name, m.version, m.dataset, m.metric): b for b in benchmark_file().benchmarks for m in b.match}


def lookup(name: str, version: object = None, dataset: object = None, metric: object = None) -> Benchmark | None:
    """The curated benchmark a row names, matching name, version, dataset and metric as written."""
    return _index().get(_key(name, version, dataset, metric))


def lmarena_id(category: str) -> str:
    return "lmarena-" + category.replace("_", "-")


@cache
def lmarena_benchmark(category: str) -> Benchmark | None:
    """The benchmark one category of LMArena's text leaderboard is (None: a category not curated)."""
    arena = benchmark_file().lmarena
    name = arena.categories.get(category)
    if name is None:
        return None
    return Benchmark(benchmark_id=lmarena_id(category), name=name, metric=arena.metric, unit=arena.unit,
                     min=arena.min, max=arena.max, significance="interval",
                     url=arena.url, description=f"LMArena text leaderboard, category '{category}': "
                     "a Bradley-Terry rating from pairwise human votes, with its 95% interval.")


def all_benchmarks() -> list[Benchmark]:
    arena = benchmark_file().lmarena
    return [*benchmark_file().benchmarks, *(lmarena_benchmark(c) for c in arena.categories)]


def benchmark_rows() -> list[dict]:
    """Rows of the `benchmarks` table."""
    return [{"benchmark_id": b.benchmark_id, "name": b.name, "metric": b.metric, "unit": b.unit,
             "min_score": b.min, "max_score": b.max, "higher_is_better": b.higher_is_better,
             "significance": b.significance, "url": b.url, "description": b.description}
            for b in all_benchmarks()]


def copy_rows() -> list[dict]:
    return [c.model_dump() for c in benchmark_file().copies]
