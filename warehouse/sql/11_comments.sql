-- What each reconciled table and column means: shown by DuckDB's duckdb_tables() / duckdb_columns().
-- Rebuilt by warehouse/reconcile.py from current_observations (SQL: warehouse/sql/reconcile/).

COMMENT ON TABLE providers IS 'Canonical providers (pipeline/providers.yaml), plus any source provider id no entry lists, as a provider of its own.';
COMMENT ON COLUMN providers.provider_id IS 'Canonical id, e.g. azure for LiteLLM azure_ai and models.dev azure.';
COMMENT ON COLUMN providers.name IS 'Display name, e.g. Microsoft Azure AI Foundry.';
COMMENT ON COLUMN providers.url IS 'Where the provider documents its models or prices.';
COMMENT ON COLUMN providers.kind IS 'vendor, cloud, inference_host or aggregator (pipeline/providers.yaml); classes its listings in precedence.yaml (an aggregator''s dates are listing dates). NULL for a provider no entry lists.';

COMMENT ON TABLE models IS 'One row per canonical model; each value chosen by pipeline/precedence.yaml from the sources, traceable in lineage, disagreements in conflicts.';
COMMENT ON COLUMN models.model_id IS 'Canonical id, vendor/name, as OpenRouter spells it where it lists the model (mistralai/mistral-small-2603).';
COMMENT ON COLUMN models.name IS 'Display name (the catalogue''s or the vendor''s; the id when no source names it).';
COMMENT ON COLUMN models.vendor IS 'Canonical vendor namespace (pipeline/aliases.yaml vendors), e.g. mistralai.';
COMMENT ON COLUMN models.family IS 'Model family as a catalogue names it, e.g. mistral-small.';
COMMENT ON COLUMN models.release_date IS 'When the vendor released the model: from the vendor''s own provider entry, a catalogue''s model metadata (models.dev models.json) or the Hugging Face createdAt of the vendor''s own repo; NULL (unknown) otherwise. Never a listing date (offerings.listed_at).';
COMMENT ON COLUMN models.context_window IS 'Tokens; the context the vendor serves, else the catalogue, card or OpenRouter.';
COMMENT ON COLUMN models.max_output_tokens IS 'Tokens; left out when above the context window (see conflicts, category implausible).';
COMMENT ON COLUMN models.params_total IS 'Parameters in total, from the model card first.';
COMMENT ON COLUMN models.params_active IS 'Parameters active per token (mixture of experts), from the model card first.';
COMMENT ON COLUMN models.architecture IS 'dense or moe, from the model card first.';
COMMENT ON COLUMN models.license IS 'SPDX id where one exists, else the license''s proper name; from the model card first.';
COMMENT ON COLUMN models.knowledge_cutoff IS 'YYYY-MM or YYYY-MM-DD as the chosen source states it.';
COMMENT ON COLUMN models.open_weights IS 'Whether the weights are published; NULL when no source says.';
COMMENT ON COLUMN models.input_modalities IS 'Input modalities, e.g. [image, text].';
COMMENT ON COLUMN models.output_modalities IS 'Output modalities, e.g. [text].';
COMMENT ON COLUMN models.hugging_face_id IS 'Hugging Face repo of the weights, as a source links it.';

COMMENT ON TABLE model_aliases IS 'Every source id and how it resolved: link, rule, alias_file; or unresolved / ambiguous, listed, never dropped.';
COMMENT ON COLUMN model_aliases.source IS 'Source that states the id.';
COMMENT ON COLUMN model_aliases.source_id IS 'The source''s own model id, verbatim.';
COMMENT ON COLUMN model_aliases.model_id IS 'Canonical model; NULL when unresolved or ambiguous.';
COMMENT ON COLUMN model_aliases.method IS 'link (hugging_face_id), rule (normalization), alias_file (pipeline/aliases.yaml), unresolved, ambiguous.';
COMMENT ON COLUMN model_aliases.provider_id IS 'The source''s provider the id is listed under; NULL for a catalogue entry.';
COMMENT ON COLUMN model_aliases.rule IS 'Which rule matched (exact, vendor_prefix, loose_suffix, undated, hugging_face_id), or not_a_model for routers and price buckets.';
COMMENT ON COLUMN model_aliases.variant IS 'What only tells the route apart: free, thinking, us, eu-west-1, fp8, ft...';
COMMENT ON COLUMN model_aliases.candidates IS 'For an ambiguous id: the canonical models it matches.';

COMMENT ON TABLE model_capabilities IS 'One row per model and capability: yes, no, or unknown when no source states it (never no by default).';
COMMENT ON COLUMN model_capabilities.capability IS 'vision, multimodal_input, function_calling, tool_use, structured_outputs, reasoning, code_execution.';
COMMENT ON COLUMN model_capabilities.value IS 'yes, no or unknown.';
COMMENT ON COLUMN model_capabilities.source IS 'The source whose statement won by precedence; NULL when unknown.';
COMMENT ON COLUMN model_capabilities.candidates IS 'Every statement considered: source, source id, value.';

COMMENT ON TABLE offerings IS 'A model served by a provider, per source and route, with that source''s current values. first_seen, last_seen and active carry across runs; a vanished offering stays, inactive.';
COMMENT ON COLUMN offerings.model_id IS 'Canonical model.';
COMMENT ON COLUMN offerings.provider_id IS 'Canonical provider (OpenRouter endpoints belong to openrouter).';
COMMENT ON COLUMN offerings.source IS 'The source listing this offering.';
COMMENT ON COLUMN offerings.route IS 'The source''s own id for it (LiteLLM key, OpenRouter id; models.dev key, prefixed with the provider key when not the provider''s first).';
COMMENT ON COLUMN offerings.input_usd_per_mtok IS 'USD per million input tokens, exact decimal.';
COMMENT ON COLUMN offerings.output_usd_per_mtok IS 'USD per million output tokens, exact decimal.';
COMMENT ON COLUMN offerings.cache_read_usd_per_mtok IS 'USD per million cached input tokens read; left out when above the input price.';
COMMENT ON COLUMN offerings.cache_write_usd_per_mtok IS 'USD per million input tokens written to cache.';
COMMENT ON COLUMN offerings.context_window IS 'Tokens this route accepts.';
COMMENT ON COLUMN offerings.max_output_tokens IS 'Tokens this route returns at most; left out when above its context window.';
COMMENT ON COLUMN offerings.first_seen IS 'When a fetched document first listed it.';
COMMENT ON COLUMN offerings.last_seen IS 'When a fetched document last listed it.';
COMMENT ON COLUMN offerings.active IS 'Listed by the source''s current documents and not retired (status); a retired route is never a route, a cheapest price or an A/B provider.';
COMMENT ON COLUMN offerings.variant IS 'free, thinking, us, eu-west-1, fp8, ft...: NULL for the plain route.';
COMMENT ON COLUMN offerings.source_provider_id IS 'The source''s own provider id, e.g. LiteLLM azure_ai.';
COMMENT ON COLUMN offerings.listed_at IS 'When this source says the provider listed the model (OpenRouter created; an aggregator''s release_date, e.g. models.dev''s openrouter and kilo entries): a listing date, never a release date.';
COMMENT ON COLUMN offerings.retired_on IS 'The retirement date a source states for the route (model, provider, variant), on every source''s row of it: LiteLLM deprecation_date, OpenRouter expiration_date; the earliest when several. NULL when none is stated.';
COMMENT ON COLUMN offerings.status IS 'active; deprecating (retired_on still after the data''s date, or a source marks it deprecated with no date: models.dev status, genai-prices deprecated); retired (retired_on on or before the data''s date: not active). The data''s date is the newest effective_at of the current documents, never the calendar.';
COMMENT ON COLUMN offerings.preferred IS 'The row precedence picks among sources listing the same model, provider and variant: pricing page, then the provider''s own listing, then a price feed.';

COMMENT ON TABLE price_history IS 'Input and output prices per offering over time (SCD type 2): an unchanged price adds no row; a change closes the open row and opens one.';
COMMENT ON COLUMN price_history.valid_from IS 'When the price took effect: the document''s effective_at (its as-of when a timestamp, else the replayed snapshot''s date, else its fetch time).';
COMMENT ON COLUMN price_history.valid_to IS 'When it stopped (a change, the offering vanished, or its retirement date; never before valid_from); NULL while current.';

COMMENT ON TABLE conflicts IS 'Every disagreement beyond tolerance, ambiguous id and implausible value: the candidates with their sources, the value chosen and why.';
COMMENT ON COLUMN conflicts.entity IS 'model_id; model_id@provider_id (variant) for an offering; source:source_id for an ambiguous id.';
COMMENT ON COLUMN conflicts.field IS 'The column (models, offerings), supports_<capability>, or model_id for an ambiguous id.';
COMMENT ON COLUMN conflicts.candidates IS 'Every value considered: source, source id (or route), value, the source''s provider key, the source it copies (copy_of), the document URL and its as-of.';
COMMENT ON COLUMN conflicts.chosen IS 'The published value; NULL when nothing was published.';
COMMENT ON COLUMN conflicts.chosen_source IS 'The source of the published value.';
COMMENT ON COLUMN conflicts.reason IS 'Why: the precedence that decided, how many values differ, or what is implausible.';
COMMENT ON COLUMN conflicts.category IS 'disagreement, ambiguous_id or implausible.';

COMMENT ON TABLE lineage IS 'Which observations every value in models, model_capabilities and offerings comes from; source, url and document_sha256 lead to raw_documents.';
COMMENT ON COLUMN lineage.entity_type IS 'model, capability or offering.';
COMMENT ON COLUMN lineage.entity IS 'model_id, or model_id@provider_id for an offering.';
COMMENT ON COLUMN lineage.route IS 'An offering''s route.';
COMMENT ON COLUMN lineage.field IS 'The column or capability the observation bears on.';
COMMENT ON COLUMN lineage.observed_field IS 'The observations.field read, e.g. supports_function_calling.';
COMMENT ON COLUMN lineage.chosen IS 'True when this observation states the published value (within tolerance).';
COMMENT ON COLUMN lineage.exact IS 'True when it states the published value itself: only these are cited for the value (128000 agrees with 131072, yet is shown as its own value).';
COMMENT ON COLUMN lineage.class IS 'What the source is to the model (pipeline/precedence.yaml): card, vendor, catalogue, aggregator or provider; NULL for an offering value.';
COMMENT ON COLUMN lineage.copy_of IS 'The source this row copies (pipeline/precedence.yaml derived), counted as that source, not as a second witness; NULL for an independent statement.';
COMMENT ON COLUMN model_capabilities.model_id IS 'Canonical model.';
COMMENT ON COLUMN price_history.model_id IS 'Canonical model; with provider_id, source and route, the offering.';
COMMENT ON COLUMN price_history.provider_id IS 'Canonical provider.';
COMMENT ON COLUMN price_history.source IS 'The source listing the offering.';
COMMENT ON COLUMN price_history.route IS 'The offering''s route (see offerings.route).';
COMMENT ON COLUMN price_history.input_usd_per_mtok IS 'USD per million input tokens in this period.';
COMMENT ON COLUMN price_history.output_usd_per_mtok IS 'USD per million output tokens in this period.';
COMMENT ON COLUMN lineage.source IS 'Source of the observation.';
COMMENT ON COLUMN lineage.source_provider_id IS 'The source''s provider id; NULL for a model-level fact.';
COMMENT ON COLUMN lineage.source_id IS 'The source''s own model id.';
COMMENT ON COLUMN lineage.url IS 'URL of the document.';
COMMENT ON COLUMN lineage.document_sha256 IS 'sha256 of the document body: with source and url, the raw_documents row.';
COMMENT ON COLUMN lineage.value IS 'The observed value as text.';
COMMENT ON COLUMN raw_documents.effective_at IS 'When the document''s facts took effect, the data''s date: its as_of when a timestamp, else the replayed snapshot''s date (newest timestamp as_of among its documents), else its fetch time.';

COMMENT ON TABLE offering_prices IS 'Every price component each source states for an offering (tiers, service tiers, cache reads and 1-hour writes, audio, a stated history, off-peak hours), over time (SCD type 2). What the cost engine and the workload profiles price.';
COMMENT ON COLUMN offering_prices.model_id IS 'Canonical model; with provider_id, source and route, the offerings row.';
COMMENT ON COLUMN offering_prices.provider_id IS 'Canonical provider.';
COMMENT ON COLUMN offering_prices.source IS 'The source stating the price.';
COMMENT ON COLUMN offering_prices.route IS 'The offering''s route (see offerings.route).';
COMMENT ON COLUMN offering_prices.variant IS 'The offering''s variant (free, thinking, a region...); NULL for the plain route.';
COMMENT ON COLUMN offering_prices.component IS 'What is priced: input (uncached prompt tokens), output (reasoning included), cache_read, cache_write_5m (the default cache write; 5 minutes at Anthropic), cache_write_1h, input_audio, output_audio, cache_read_audio, input_image, output_image, input_video, output_video, output_reasoning.';
COMMENT ON COLUMN offering_prices.service_tier IS 'standard, batch, flex or priority (LiteLLM''s _batches, _flex and _priority keys).';
COMMENT ON COLUMN offering_prices.threshold_tokens IS 'Prompt tokens the tier starts at (a cliff: past it every token of the request pays this price); 0 for the base price.';
COMMENT ON COLUMN offering_prices.threshold_inclusive IS 'true: the tier applies from exactly threshold_tokens (LiteLLM''s xAI entries); false: strictly above it (genai-prices, models.dev, the other LiteLLM entries).';
COMMENT ON COLUMN offering_prices.hours IS 'A daily window the price applies in (genai-prices start_time/end_time, e.g. DeepSeek off-peak); NULL: all day.';
COMMENT ON COLUMN offering_prices.usd_per_mtok IS 'USD per million tokens, exact (9 places).';
COMMENT ON COLUMN offering_prices.starts_on IS 'The source''s own price history (genai-prices constraint.start_date): the price applies from this date; NULL: from the start.';
COMMENT ON COLUMN offering_prices.ends_on IS 'The next start date of that history (exclusive); NULL: open-ended.';
COMMENT ON COLUMN offering_prices.in_force IS 'The price the source states for its as-of date (false for a past or upcoming price of a stated history).';
COMMENT ON COLUMN offering_prices.valid_from IS 'When versus first saw the price as the source states it now: the document''s as-of when a timestamp, else its fetch time.';
COMMENT ON COLUMN offering_prices.valid_to IS 'When it stopped (a change, or the offering or component vanished); NULL while current.';
COMMENT ON COLUMN offering_prices.preferred IS 'The row the cost engine uses: per model, provider, variant, component, service tier, threshold and hours, the offering order''s first source stating it (silence is not a statement); a different value from another source is in conflicts.';

COMMENT ON COLUMN observations.price_component IS 'For field price_usd_per_mtok: the component priced (see offering_prices.component); NULL otherwise.';
COMMENT ON COLUMN observations.price_service_tier IS 'For field price_usd_per_mtok: standard, batch, flex or priority.';
COMMENT ON COLUMN observations.price_threshold_tokens IS 'For field price_usd_per_mtok: prompt tokens the tier starts at; 0 for the base.';
COMMENT ON COLUMN observations.price_threshold_inclusive IS 'For field price_usd_per_mtok: the tier applies from exactly the threshold (else strictly above).';
COMMENT ON COLUMN observations.price_starts_on IS 'For field price_usd_per_mtok: the start date the source states for the price.';
COMMENT ON COLUMN observations.price_ends_on IS 'For field price_usd_per_mtok: the date the source states the next price starts.';
COMMENT ON COLUMN observations.price_hours IS 'For field price_usd_per_mtok: the daily window the price applies in; NULL all day.';
COMMENT ON COLUMN observations.price_in_force IS 'For field price_usd_per_mtok: the price in force on the document''s as-of date.';
