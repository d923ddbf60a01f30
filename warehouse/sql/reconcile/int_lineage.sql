-- Reconcile, step 7: lineage. Every value in models, model_capabilities and offerings traces to
-- the observations behind it (source, url and document_sha256 lead to raw_documents).
DELETE FROM lineage;

-- `chosen`: the value agrees with the published one within tolerance; `exact`: it is the published
-- value itself (what a record cites); `copy_of`: the row copies another source (precedence.yaml
-- `derived`) and is shown as a copy, never as a second witness.
INSERT INTO lineage BY NAME
SELECT CASE target WHEN 'capability' THEN 'capability' ELSE 'model' END AS entity_type, model_id AS entity,
       NULL AS route, column_name AS field, source, source_provider_id, source_id, url, document_sha256,
       field AS observed_field, value, agrees AND d.rule IS NULL AS chosen, exact AND d.rule IS NULL AS exact,
       class, copy_of
FROM _judged
LEFT JOIN _disputed d USING (target, model_id, column_name);  -- a disputed column publishes nothing

INSERT INTO lineage BY NAME
SELECT 'offering' AS entity_type, o.model_id || '@' || o.provider_id AS entity, o.route, o.field,
       o.source, o.source_provider_id, o.source_id, o.url, o.document_sha256, o.field AS observed_field, o.value,
       NOT ((o.field = 'cache_read_usd_per_mtok' AND n.implausible_cache_read)
            OR (o.field = 'max_output_tokens' AND n.implausible_max_output)) AS chosen,
       true AS exact, NULL AS class, o.copy_of
FROM _offer_obs o
JOIN _offer_now n USING (model_id, provider_id, source, route)
WHERE o.field IN ('input_usd_per_mtok', 'output_usd_per_mtok', 'cache_read_usd_per_mtok',
                  'cache_write_usd_per_mtok', 'context_window', 'max_output_tokens');
