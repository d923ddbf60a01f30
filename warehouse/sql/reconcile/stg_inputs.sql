-- Reconcile, step 1: every current observation of a resolved id, with what its source is to the
-- model (class), its canonical provider, when it took effect and a comparable form of its value.
-- class (precedence.yaml): card (a Hugging Face repo), catalogue (no provider), provider (a
-- variant route: ':free', a region), vendor (a provider of kind vendor listing its own vendor's
-- model), aggregator (a provider of kind aggregator, e.g. OpenRouter's model list or models.dev's
-- openrouter and kilo entries; not OpenRouter's per-endpoint rows, which are the hosts'), else
-- provider (cloud, inference_host, or a provider no entry lists).
-- A release date an aggregator states is when it listed the model: it becomes `listed_at`.
-- A card's created_date dates a release only from the vendor's own repo.
-- Inputs registered by warehouse/reconcile.py: _resolution, _identity_models, _provider_map,
-- _providers, _field_rules, _tolerance, _source_rank, _offering_conflicts, _plausibility,
-- _reconcile_run.
CREATE OR REPLACE TEMP TABLE _obs AS
WITH o AS (
    SELECT o.*, d.last_fetched_at AS seen, d.effective_at,
           CASE WHEN o.field = 'name' AND o.source = 'openrouter'   -- 'Mistral: Mistral Small 4'
                THEN regexp_replace(o.value_text, '^[^:]{1,40}:\s+', '') ELSE o.value_text END AS text_value
    FROM current_observations o
    JOIN current_documents d ON d.source = o.source AND d.url = o.url AND d.sha256 = o.document_sha256
)
SELECT o.source, o.url, o.document_sha256, o.model_id AS source_id, o.provider_id AS source_provider_id,
       CASE WHEN o.field = 'release_date' AND p.kind = 'aggregator' AND r.variant IS NULL
                 AND NOT starts_with(o.provider_id, 'openrouter/') THEN 'listed_at'
            ELSE o.field END AS field,
       o.value_decimal, o.value_int, o.value_bool, o.value_date, o.text_value AS value_text,
       o.value_list, o.note, o.seen,
       o.price_component, o.price_service_tier, o.price_threshold_tokens, o.price_threshold_inclusive,
       o.price_starts_on, o.price_ends_on, o.price_hours, o.price_in_force,
       r.model_id, r.variant, r.names_model AS exact_id, m.vendor AS model_vendor,
       p.provider_id, p.vendor AS provider_vendor, p.is_primary,
       CASE WHEN o.source = 'huggingface' THEN 'card'
            WHEN o.provider_id IS NULL THEN 'catalogue'
            WHEN r.variant IS NOT NULL THEN 'provider'   -- a ':free' or regional route speaks for itself only
            WHEN p.vendor IS NOT NULL AND p.vendor = m.vendor THEN 'vendor'
            WHEN p.kind = 'aggregator' AND NOT starts_with(o.provider_id, 'openrouter/') THEN 'aggregator'
            ELSE 'provider' END AS class,
       -- valid_from: the data's date (raw_documents.effective_at): the document's as-of when a
       -- timestamp, else the replayed snapshot's date, else its fetch time
       o.effective_at AS valid_from,
       coalesce(CAST(o.value_decimal AS DOUBLE), CAST(o.value_int AS DOUBLE)) AS num,
       CASE WHEN o.text_value IS NOT NULL THEN lower(trim(o.text_value))
            WHEN o.value_date IS NOT NULL THEN CAST(o.value_date AS VARCHAR)
            WHEN o.value_bool IS NOT NULL THEN CAST(o.value_bool AS VARCHAR)
            WHEN o.value_list IS NOT NULL THEN array_to_string(list_sort(o.value_list), ',')
            ELSE coalesce(_number_text(o.value_decimal), CAST(o.value_int AS VARCHAR)) END AS txt,
       CASE WHEN o.text_value IS NOT NULL THEN o.text_value
            WHEN o.value_list IS NOT NULL THEN array_to_string(list_sort(o.value_list), ', ')
            ELSE coalesce(CAST(o.value_date AS VARCHAR), CAST(o.value_bool AS VARCHAR),
                          _number_text(o.value_decimal), CAST(o.value_int AS VARCHAR)) END AS value
FROM o
JOIN _resolution r ON r.source = o.source AND r.provider_id IS NOT DISTINCT FROM o.provider_id
                  AND r.source_id = o.model_id
JOIN _identity_models m ON m.model_id = r.model_id
LEFT JOIN _provider_map p ON p.source = o.source AND p.source_provider_id = o.provider_id
WHERE o.field <> 'created_date' OR coalesce(r.vendor_repo, false);
