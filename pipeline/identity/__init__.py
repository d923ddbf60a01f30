"""Model identity: the many ids sources give one model, resolved to one canonical id.

The package: `names` (ids taken apart, matching keys), `aliases` and `providers` (the curated
files), `resolver` (anchors, rules, merges), `kinds` (what kind of model an id names) and
`lookalikes` (a check for people).

Pure: source ids, links and curated data in; canonical models and one resolution per id out.

Canonical models come from anchors, strongest first: OpenRouter's model list, the models.dev
catalogue, Hugging Face repos, a vendor's own platform ('mistral' listing 'mistral-small-2603'),
then any id that names a known vendor ('deepinfra/Qwen/Qwen3-14B'). An anchor that matches an
existing model joins it; otherwise it founds one. Every id is then resolved in this order:

1. link: the id is a Hugging Face repo that a source links to a model (OpenRouter's and
   models.dev's `hugging_face_id`, rule 'hugging_face_id') or that `aliases.yaml` links to one
   (`hugging_face_repos`, rule 'alias_file'), or the repo itself; a link and an exact name that
   point at two different models make the id ambiguous. A repo the alias file links to a model
   no other anchor founded founds it under the alias file's id;
2. rule: normalization (see `parse` and `key`), the exact name first, then looser steps
   (`_levels`: vendor_prefix, rewrite, loose_suffix, undated), each tried only when the previous
   one matched nothing;
3. alias_file: the curated `aliases.yaml`, for ids the rules leave unresolved or ambiguous.

An id matching two models at the first step that matches anything is 'ambiguous' (no model,
both candidates kept); an id nothing matches is 'unresolved'. Neither is dropped. Ids that are
routers or price buckets (`not_models`) are unresolved with the rule 'not_a_model'.

A model founded again in a later run keeps its earlier id unless OpenRouter, the models.dev
catalogue or the alias file names it (`_Resolver.keep_previous_ids`), so its offerings' history
stays attached.
"""
from pipeline.identity.aliases import MODEL_ID, AliasEntry, AliasFile, Rewrite, alias_file
from pipeline.identity import kinds
from pipeline.identity.lookalikes import lookalike_groups, lookalike_key
from pipeline.identity.names import ParsedId, Vendors, default_vendors, key, names_weights, parse
from pipeline.identity.providers import Provider, ProviderEntry, ProviderFile, provider_file, provider_for
from pipeline.identity.resolver import Identity, Model, Resolution, SourceId, resolve_ids, spelling_key

__all__ = ["MODEL_ID", "kinds", "AliasEntry", "AliasFile", "Identity", "Model", "ParsedId", "Provider", "ProviderEntry",
           "ProviderFile", "Resolution", "Rewrite", "SourceId", "Vendors", "alias_file", "default_vendors", "key",
           "lookalike_groups", "lookalike_key", "names_weights", "parse", "provider_file",
           "provider_for", "resolve_ids", "spelling_key"]
