-- A warehouse written before price_history became a view of offering_prices (2026-12-04) stores it
-- as a table, closed by the rule offering_prices now follows (the data's date, a retirement). Its
-- periods become the listing's own input and output rows of offering_prices, in place of the rows
-- there for the same routes (an open row keeps its preferred flag); then the table goes.
BEGIN TRANSACTION;
CREATE OR REPLACE TEMP TABLE _stored_open AS
SELECT model_id, provider_id, source, route, component, preferred FROM offering_prices
WHERE valid_to IS NULL AND component IN ('input', 'output') AND service_tier = 'standard'
  AND threshold_tokens = 0 AND hours IS NULL AND starts_on IS NULL AND ends_on IS NULL AND in_force;

DELETE FROM offering_prices p
WHERE p.component IN ('input', 'output') AND p.service_tier = 'standard' AND p.threshold_tokens = 0
  AND p.hours IS NULL AND p.starts_on IS NULL AND p.ends_on IS NULL AND p.in_force
  AND EXISTS (SELECT 1 FROM price_history h
              WHERE h.model_id = p.model_id AND h.provider_id = p.provider_id AND h.source = p.source
                AND h.route = p.route);

INSERT INTO offering_prices BY NAME
SELECT h.model_id, h.provider_id, h.source, h.route, o.variant, c.component, 'standard' AS service_tier,
       CAST(0 AS BIGINT) AS threshold_tokens, false AS threshold_inclusive, c.usd_per_mtok, true AS in_force,
       h.valid_from, h.valid_to, h.valid_to IS NULL AND coalesce(s.preferred, false) AS preferred,
       true AS listing_price
FROM price_history h
CROSS JOIN LATERAL (VALUES ('input', h.input_usd_per_mtok), ('output', h.output_usd_per_mtok)) c(component, usd_per_mtok)
LEFT JOIN offerings o USING (model_id, provider_id, source, route)
LEFT JOIN _stored_open s ON s.model_id = h.model_id AND s.provider_id = h.provider_id AND s.source = h.source
                        AND s.route = h.route AND s.component = c.component
WHERE c.usd_per_mtok IS NOT NULL;
DROP TABLE price_history;
COMMIT;
