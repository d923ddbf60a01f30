-- Views analysts start from (docs/analyst-queries.md).
-- The listing's own base prices (offering_prices.listing_price): offerings' four price columns and
-- their history, price_history. Neither is stored apart from offering_prices.
CREATE OR REPLACE MACRO is_listing_price(p) AS
    p.listing_price AND p.service_tier = 'standard' AND p.threshold_tokens = 0 AND p.hours IS NULL
    AND p.starts_on IS NULL AND p.ends_on IS NULL AND p.in_force;

-- offerings: offering_listings with its four prices. A listed route's are its open rows; a route
-- no longer listed (or retired) keeps the last one it had of each.
CREATE OR REPLACE VIEW offerings AS
WITH rows AS (
    SELECT p.model_id, p.provider_id, p.source, p.route, p.component, p.usd_per_mtok, p.valid_from, p.valid_to,
           max(p.valid_from) OVER (PARTITION BY p.model_id, p.provider_id, p.source, p.route, p.component) AS last_from
    FROM offering_prices p
    WHERE is_listing_price(p)),
prices AS (
    SELECT r.model_id, r.provider_id, r.source, r.route,
           any_value(r.usd_per_mtok) FILTER (WHERE r.component = 'input') AS input_usd_per_mtok,
           any_value(r.usd_per_mtok) FILTER (WHERE r.component = 'output') AS output_usd_per_mtok,
           any_value(r.usd_per_mtok) FILTER (WHERE r.component = 'cache_read') AS cache_read_usd_per_mtok,
           any_value(r.usd_per_mtok) FILTER (WHERE r.component = 'cache_write_5m') AS cache_write_usd_per_mtok
    FROM rows r
    JOIN offering_listings l USING (model_id, provider_id, source, route)
    WHERE CASE WHEN l.active THEN r.valid_to IS NULL ELSE r.valid_from = r.last_from END
    GROUP BY ALL)
SELECT l.model_id, l.provider_id, l.source, l.route, p.input_usd_per_mtok, p.output_usd_per_mtok,
       p.cache_read_usd_per_mtok, p.cache_write_usd_per_mtok, l.context_window, l.max_output_tokens, l.first_seen,
       l.last_seen, l.active, l.variant, l.source_provider_id, l.preferred, l.listed_at, l.retired_on,
       l.catalogue_only, l.status, l.price_rejected
FROM offering_listings l
LEFT JOIN prices p USING (model_id, provider_id, source, route);

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

-- price_history: each offering's input and output prices over time, one row per period in which
-- neither changed: the periods of the listing's own input and output rows, split wherever either
-- changes and joined where a period continues the one before it at the same prices.
CREATE OR REPLACE VIEW price_history AS
WITH base AS (
    SELECT model_id, provider_id, source, route, component, usd_per_mtok, valid_from, valid_to
    FROM offering_prices p
    WHERE is_listing_price(p) AND component IN ('input', 'output')),
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

-- The price rows every cost reads (the engine in warehouse/costs.py, the records' routes in
-- warehouse/records.py, the pair table's comparison_route_prices): per route, the preferred,
-- current, in-force, all-day row of each price key.
CREATE OR REPLACE MACRO route_price_rows() AS TABLE
SELECT * FROM offering_prices WHERE preferred AND valid_to IS NULL AND in_force AND hours IS NULL;
