-- Views analysts start from (docs/analyst-queries.md).
CREATE OR REPLACE VIEW current_offerings AS
SELECT o.model_id, m.name AS model_name, m.vendor, o.provider_id, p.name AS provider_name, o.route, o.variant,
       o.source, o.input_usd_per_mtok, o.output_usd_per_mtok, o.cache_read_usd_per_mtok, o.cache_write_usd_per_mtok,
       o.context_window, o.max_output_tokens, o.preferred, o.first_seen, o.last_seen, o.status, o.retired_on
FROM offerings o
JOIN models m USING (model_id)
LEFT JOIN providers p USING (provider_id)
WHERE o.active;
COMMENT ON VIEW current_offerings IS 'Active offerings with model and provider names. Filter on preferred for one row per model, provider and variant.';
COMMENT ON COLUMN current_offerings.status IS 'active or deprecating (a retired route is not active, so not here); see offerings.status.';
COMMENT ON COLUMN current_offerings.retired_on IS 'The stated retirement date, still ahead; NULL when none.';

CREATE OR REPLACE VIEW model_capability_matrix AS
PIVOT (SELECT model_id, capability, value FROM model_capabilities)
ON capability IN ('vision', 'multimodal_input', 'function_calling', 'tool_use', 'structured_outputs', 'reasoning', 'code_execution')
USING any_value(value) GROUP BY model_id;
COMMENT ON VIEW model_capability_matrix IS 'One row per model, one column per capability: yes, no or unknown.';

-- The price rows every cost reads (the engine in warehouse/costs.py, the records' routes in
-- warehouse/records.py, the pair table's comparison_route_prices): per route, the preferred,
-- current, in-force, all-day row of each price key.
CREATE OR REPLACE MACRO route_price_rows() AS TABLE
SELECT * FROM offering_prices WHERE preferred AND valid_to IS NULL AND in_force AND hours IS NULL;
