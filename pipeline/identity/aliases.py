"""The curated alias file (`pipeline/aliases.yaml`): vendors' spellings, families, route words,
rewrites, ids that are not models, Hugging Face repo links and aliases, with its schema."""
from __future__ import annotations

import re
from functools import cache
from typing import Annotated

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, field_validator,
                      model_validator)
from pydantic_core import InitErrorDetails, PydanticCustomError

from pipeline import curated

REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")  # a Hugging Face repo id: 'owner/name'
MODEL_ID = r"^[a-z0-9~][a-z0-9._-]*/[a-z0-9][a-z0-9._:-]*$"  # a canonical id: 'vendor/slug'


class AliasEntry(BaseModel):
    """One curated alias: a `name` (any source's id whose parsed name has the same key, e.g.
    'mistral-medium-2508' for 'mistral/mistral-medium-2508' and 'mistral-medium-2508' under
    Mistral), or one `source`'s exact `source_id` ('*': any source)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1)
    source: str = "*"
    source_id: str | None = Field(default=None, min_length=1)
    model_id: str = Field(pattern=MODEL_ID)

    @model_validator(mode="after")
    def _one_key(self) -> AliasEntry:
        if (self.name is None) == (self.source_id is None):
            raise ValueError("give exactly one of `name` and `source_id`")
        return self


class Rewrite(BaseModel):
    """A curated regular-expression rewrite of a slug, tried when the name as written matches nothing."""

    model_config = ConfigDict(extra="forbid")
    pattern: str
    replace: str

    @model_validator(mode="after")
    def _compiles(self) -> Rewrite:
        try:
            re.compile(self.pattern).sub(self.replace, "")
        except re.error as exc:
            raise ValueError(f"bad pattern or replacement: {exc}") from None
        return self


class AliasFile(BaseModel):
    """Schema of `pipeline/aliases.yaml`."""

    model_config = ConfigDict(extra="forbid")
    vendors: dict[str, list[str]]
    families: dict[str, str]
    route_segments: list[str]
    route_words: list[str]
    rewrites: list[Rewrite] = []
    undated_aliases: list[str]
    moving_aliases: list[str] = []
    not_models: list[str]
    hugging_face_repos: dict[Annotated[str, StringConstraints(pattern=MODEL_ID)],
                             Annotated[str, StringConstraints(pattern=REPO_ID.pattern)]] = {}
    aliases: list[AliasEntry]

    @field_validator("hugging_face_repos")
    @classmethod
    def _linked_models(cls, links: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """Each model id names a vendor `vendors` lists, as spelled there; a repo links one model.
        Errors name the entry, so the file's line is found."""
        vendors, seen, errors = info.data.get("vendors"), {}, []
        for model_id, repo in links.items():
            vendor = model_id.split("/", 1)[0]
            if vendors is not None and vendor not in vendors:
                errors.append((model_id, f"{vendor!r} is not a vendor listed under `vendors`"))
            if repo.lower() in seen:
                errors.append((model_id, f"{repo!r} is linked to {seen[repo.lower()]!r} too"))
            seen.setdefault(repo.lower(), model_id)
        if errors:
            raise ValidationError.from_exception_data("hugging_face_repos", [
                InitErrorDetails(type=PydanticCustomError("hugging_face_repo", msg), loc=(model_id,), input=model_id)
                for model_id, msg in errors])
        return links

    @model_validator(mode="after")
    def _consistent(self) -> AliasFile:
        seen: dict[str, str] = {}
        for vendor, spellings in self.vendors.items():
            for spelling in [vendor, *spellings]:
                if spelling in seen and seen[spelling] != vendor:
                    raise ValueError(f"{spelling!r} is listed under both {seen[spelling]!r} and {vendor!r}")
                seen[spelling] = vendor
        for name, vendor in [*self.families.items(), *((v, v) for v in self.undated_aliases)]:
            if vendor not in self.vendors:
                raise ValueError(f"{name!r}: {vendor!r} is not a vendor listed under `vendors`")
        return self



@cache
def alias_file() -> AliasFile:
    return curated.load("aliases.yaml", AliasFile)
