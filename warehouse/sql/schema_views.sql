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

-- is_base_price: an offering_prices row of the standard, all-day input or output price from the
-- first token, in force (a listing stating only tiers: its first tier).
-- price_history: each offering's input and output prices over time, one row per period in which
-- neither changed. Not stored: the periods of offering_prices' base input and output rows
-- (the one stored price), split wherever either changes and joined where a period continues
-- the one before it at the same prices.
CREATE OR REPLACE MACRO is_base_price(component, service_tier, threshold_tokens, hours, starts_on, ends_on, in_force) AS
    component IN ('input', 'output') AND service_tier = 'standard' AND threshold_tokens = 0 AND hours IS NULL
    AND starts_on IS NULL AND ends_on IS NULL AND in_force;

CREATE OR REPLACE VIEW price_history AS
WITH base AS (
    SELECT model_id, provider_id, source, route, component, usd_per_mtok, valid_from, valid_to
    FROM offering_prices
    WHERE is_base_price(component, service_tier, threshold_tokens, hours, starts_on, ends_on, in_force)),
bounds AS (
    SELECT model_id, provider_id, source, route, valid_from AS t FROM base
    UNION SELECT model_id, provider_id, source, route, valid_to FROM base WHERE valid_to IS NOT NULL),
periods AS (
    SELECT *, lead(t) OVER (PARTITION BY model_id, provider_id, source, route ORDER BY t) AS next_t FROM bounds
    UNION ALL  -- a period that opens and closes at once (a route first seen retired)
    SELECT DISTINCT model_id, provider_id, source, route, valid_from, valid_to FROM base WHERE valid_to = valid_from),
priced AS (
    SELECT p.model_id, p.provider_id, p.source, p.route,
           any_value(b.usd_per_mtok) FILTER (WHERE b.component = 'input') AS input_usd_per_mtok,
           any_value(b.usd_per_mtok) FILTER (WHERE b.component = 'output') AS output_usd_per_mtok,
           p.t AS valid_from, p.next_t AS valid_to
    FROM periods p
    JOIN base b ON b.model_id = p.model_id AND b.provider_id = p.provider_id AND b.source = p.source
               AND b.route = p.route AND b.valid_from <= p.t
               AND (b.valid_to > p.t OR b.valid_to IS NULL OR (b.valid_to = p.t AND p.next_t = p.t))
    GROUP BY ALL),
starts AS (  -- a period starts a row unless it continues the one before at the same prices
    SELECT *, coalesce(lag(valid_to) OVER w <> valid_from
                       OR lag(input_usd_per_mtok) OVER w IS DISTINCT FROM input_usd_per_mtok
                       OR lag(output_usd_per_mtok) OVER w IS DISTINCT FROM output_usd_per_mtok, true) AS starts
    FROM priced
    WINDOW w AS (PARTITION BY model_id, provider_id, source, route ORDER BY valid_from, valid_to NULLS LAST)),
numbered AS (
    SELECT *, sum(CAST(starts AS INTEGER)) OVER (PARTITION BY model_id, provider_id, source, route
                                                ORDER BY valid_from, valid_to NULLS LAST) AS period
    FROM starts)
SELECT model_id, provider_id, source, route, any_value(input_usd_per_mtok) AS input_usd_per_mtok,
       any_value(output_usd_per_mtok) AS output_usd_per_mtok, min(valid_from) AS valid_from,
       CASE WHEN count(valid_to) = count(*) THEN max(valid_to) END AS valid_to
FROM numbered
GROUP BY model_id, provider_id, source, route, period;
COMMENT ON VIEW price_history IS 'Input and output prices per offering over time (SCD type 2), a view of offering_prices'' base input and output rows: an unchanged price adds no row; a change of either closes the period and opens one.';
COMMENT ON COLUMN price_history.valid_from IS 'When the price took effect: the document''s effective_at (its as-of when a timestamp, else the replayed snapshot''s date, else its fetch time).';
COMMENT ON COLUMN price_history.valid_to IS 'When it stopped (a change, the offering vanished, or its retirement date; never before valid_from); NULL while current.';
COMMENT ON COLUMN price_history.model_id IS 'Canonical model; with provider_id, source and route, the offering.';
COMMENT ON COLUMN price_history.provider_id IS 'Canonical provider.';
COMMENT ON COLUMN price_history.source IS 'The source listing the offering.';
COMMENT ON COLUMN price_history.route IS 'The offering''s route (see offerings.route).';
COMMENT ON COLUMN price_history.input_usd_per_mtok IS 'USD per million input tokens in this period, from the first token (a listing stating only tiers: its first tier).';
COMMENT ON COLUMN price_history.output_usd_per_mtok IS 'USD per million output tokens in this period, from the first token (a listing stating only tiers: its first tier).';

-- The price rows every cost reads (the engine in warehouse/costs.py, the records' routes in
-- warehouse/records.py, the pair table's comparison_route_prices): per route, the preferred,
-- current, in-force, all-day row of each price key.
CREATE OR REPLACE MACRO route_price_rows() AS TABLE
SELECT * FROM offering_prices WHERE preferred AND valid_to IS NULL AND in_force AND hours IS NULL;
