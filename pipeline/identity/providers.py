"""Providers (`pipeline/providers.yaml`): each source's provider ids mapped to one canonical
provider with its kind (vendor, cloud, inference host, aggregator)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline import curated
from pipeline.identity.aliases import alias_file

ProviderKind = Literal["vendor", "cloud", "inference_host", "aggregator"]


class ProviderEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    kind: ProviderKind
    name: str = Field(min_length=1)
    url: str | None = None
    vendor: str | None = None
    sources: dict[str, list[str]] = {}

    @model_validator(mode="after")
    def _vendor_kind(self) -> ProviderEntry:
        if (self.kind == "vendor") != (self.vendor is not None):
            raise ValueError("kind vendor goes with a `vendor` (and a `vendor` with kind vendor)")
        return self


class ProviderFile(BaseModel):
    """Schema of `pipeline/providers.yaml`."""

    model_config = ConfigDict(extra="forbid")
    providers: list[ProviderEntry]

    @model_validator(mode="after")
    def _unique(self) -> ProviderFile:
        ids, claimed = set(), {}
        for entry in self.providers:
            if entry.provider_id in ids:
                raise ValueError(f"provider_id {entry.provider_id!r} is listed twice")
            ids.add(entry.provider_id)
            for source, source_ids in entry.sources.items():
                for sid in source_ids:
                    if (source, sid) in claimed:
                        raise ValueError(f"{source} provider {sid!r} maps to both "
                                         f"{claimed[source, sid]!r} and {entry.provider_id!r}")
                    claimed[source, sid] = entry.provider_id
        return self



@cache
def provider_file() -> ProviderFile:
    providers = curated.load("providers.yaml", ProviderFile)
    vendors = alias_file().vendors
    for entry in providers.providers:
        if entry.vendor is not None and entry.vendor not in vendors:
            raise curated.CuratedFileError(
                f"pipeline/providers.yaml: {entry.provider_id}: vendor {entry.vendor!r} is not listed in aliases.yaml")
    return providers


@dataclass(frozen=True)
class Provider:
    provider_id: str
    name: str
    url: str | None
    vendor: str | None
    primary: bool  # the first id providers.yaml lists for it in this source (or an unlisted id)
    kind: str | None = None  # providers.yaml `kind`; None for a provider id no entry lists


def provider_for(source: str, source_provider_id: str) -> Provider:
    """The canonical provider a source's provider id maps to (an unlisted id becomes its own)."""
    return _provider_index().get((source, source_provider_id)) or _unlisted(source, source_provider_id)


@cache
def _provider_index() -> dict[tuple[str, str], Provider]:
    index = {}
    for e in provider_file().providers:
        for source, source_ids in e.sources.items():
            for i, sid in enumerate(source_ids):
                index[source, sid] = Provider(e.provider_id, e.name, e.url, e.vendor, i == 0, e.kind)
    return index


def _unlisted(source: str, source_provider_id: str) -> Provider:
    if source == "openrouter" and source_provider_id.startswith("openrouter/"):
        base = _provider_index().get(("openrouter", "openrouter"))
        if base:
            return base
    pid = source_provider_id.strip().lower().replace("_", "-")
    for e in provider_file().providers:
        if e.provider_id == pid:
            return Provider(e.provider_id, e.name, e.url, e.vendor, True, e.kind)
    return Provider(pid, source_provider_id, None, None, True)
