"""Per-source policy from `pipeline/sources.yaml`: freshness (`stale_after_days`), the held-document
threshold (`hold_below`, `hold_from`) and the document size bound (`max_document_bytes`)."""
from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from pipeline import curated


class SourcePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stale_after_days: float | None = Field(default=None, gt=0)
    hold_below: float = Field(default=0.5, ge=0, le=1)
    hold_from: int = Field(default=10, ge=0)
    max_document_bytes: int = Field(default=64 * 1024 * 1024, gt=0)


class _Override(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stale_after_days: float | None = Field(default=None, gt=0)
    hold_below: float | None = Field(default=None, ge=0, le=1)
    hold_from: int | None = Field(default=None, ge=0)
    max_document_bytes: int | None = Field(default=None, gt=0)


class SourcePolicies(BaseModel):
    model_config = ConfigDict(extra="forbid")
    defaults: SourcePolicy
    sources: dict[str, _Override]


@cache
def policies() -> SourcePolicies:
    return curated.load("sources.yaml", SourcePolicies)


def policy(source: str) -> SourcePolicy:
    """The source's policy: its entry over the defaults (an unlisted source gets the defaults)."""
    config = policies()
    override = config.sources.get(source)
    if override is None:
        return config.defaults
    return config.defaults.model_copy(update=override.model_dump(exclude_unset=True))
