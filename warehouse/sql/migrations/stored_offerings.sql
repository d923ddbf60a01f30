-- A warehouse written before offerings' prices moved to offering_prices (2026-12-04) stores
-- offerings as a table. The listing's own base prices among offering_prices' rows are marked
-- (listing_price: every closed base row, an open one where the listing states that price); a price
-- it states that offering_prices lacks is added (open while listed, else closed at last_seen); its
-- other columns move to offering_listings; then the table goes.
BEGIN TRANSACTION;
CREATE OR REPLACE TEMP TABLE _stored_prices AS
UNPIVOT (SELECT model_id, provider_id, source, route, variant, active, first_seen, last_seen,
                input_usd_per_mtok AS "input", output_usd_per_mtok AS "output",
                cache_read_usd_per_mtok AS cache_read, cache_write_usd_per_mtok AS cache_write_5m
         FROM offerings)
ON "input", "output", cache_read, cache_write_5m
INTO NAME component VALUE usd_per_mtok;

UPDATE offering_prices AS p SET listing_price = true
WHERE p.component IN ('input', 'output', 'cache_read', 'cache_write_5m') AND p.service_tier = 'standard'
  AND p.threshold_tokens = 0 AND p.hours IS NULL AND p.starts_on IS NULL AND p.ends_on IS NULL AND p.in_force
  AND (p.valid_to IS NOT NULL
       OR EXISTS (SELECT 1 FROM _stored_prices s
                  WHERE s.model_id = p.model_id AND s.provider_id = p.provider_id AND s.source = p.source
                    AND s.route = p.route AND s.component = p.component));

INSERT INTO offering_prices BY NAME
SELECT s.model_id, s.provider_id, s.source, s.route, s.variant, s.component, 'standard' AS service_tier,
       CAST(0 AS BIGINT) AS threshold_tokens, false AS threshold_inclusive, s.usd_per_mtok, true AS in_force,
       coalesce(s.first_seen, now()) AS valid_from, CASE WHEN NOT s.active THEN s.last_seen END AS valid_to,
       false AS preferred, true AS listing_price
FROM _stored_prices s
WHERE NOT EXISTS (SELECT 1 FROM offering_prices p
                  WHERE p.model_id = s.model_id AND p.provider_id = s.provider_id AND p.source = s.source
                    AND p.route = s.route AND p.component = s.component AND p.listing_price);

INSERT INTO offering_listings BY NAME
SELECT * EXCLUDE (input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok)
FROM offerings;
DROP TABLE offerings;
COMMIT;
