-- Reconcile, step 8: offering_prices, every price component each source states for an offering,
-- as a slowly changing dimension (type 2): the one stored price, history included. The listing's
-- own base prices (listing_price: the four price columns the offerings view shows, and the input
-- and output of the price_history view) are _offer_now's (implausible values left out); the others
-- come from price_usd_per_mtok observations with their price key.
--
-- A price key is (component, service_tier, threshold_tokens, hours, starts_on, ends_on, in_force):
-- a stated history's past, current and upcoming prices are separate rows. Silence is not
-- a statement: per model, provider and variant the `preferred` row of each current, in-force key
-- is the offering order's first source stating it (precedence.yaml), so a tier, batch or cache
-- price only one source states holds for that provider; two sources stating different values
-- for one key are a conflict.
--
-- An unchanged price adds nothing. A changed price closes the open row (valid_to) and opens a new
-- one. valid_from is when the document's facts took effect (the data's date, never the calendar:
-- raw_documents.effective_at). A key no longer stated closes at the newest such time of the
-- source's current documents (else the data's date): when the source last said otherwise. A
-- retired route's rows close at its retirement date, or at the row's own valid_from when the date
-- is earlier (never a negative interval); a route first seen already retired gets closed rows.
CREATE OR REPLACE TEMP TABLE _price_all AS
WITH base AS (
    UNPIVOT (SELECT model_id, provider_id, source, route, variant, valid_from,
                    input_usd_per_mtok AS "input", output_usd_per_mtok AS "output",
                    CASE WHEN implausible_cache_read THEN NULL ELSE cache_read_usd_per_mtok END AS cache_read,
                    cache_write_usd_per_mtok AS cache_write_5m
             FROM _offer_now)
    ON "input", "output", cache_read, cache_write_5m
    INTO NAME component VALUE usd_per_mtok),
keyed AS (
    SELECT model_id, provider_id, source, route, variant, component, 'standard' AS service_tier,
           CAST(0 AS BIGINT) AS threshold_tokens, false AS threshold_inclusive, CAST(NULL AS VARCHAR) AS hours,
           usd_per_mtok, CAST(NULL AS DATE) AS starts_on, CAST(NULL AS DATE) AS ends_on, true AS in_force, valid_from,
           true AS listing_price
    FROM base
    UNION ALL
    SELECT model_id, provider_id, source, route, variant, price_component, price_service_tier,
           price_threshold_tokens, price_threshold_inclusive, price_hours, value_decimal,
           price_starts_on, price_ends_on, price_in_force, valid_from, false AS listing_price
    FROM _offer_obs WHERE field = 'price_usd_per_mtok')
SELECT model_id, provider_id, source, route, any_value(variant) AS variant, component, service_tier,
       threshold_tokens, bool_or(threshold_inclusive) AS threshold_inclusive, hours,
       coalesce(max(usd_per_mtok) FILTER (WHERE listing_price), max(usd_per_mtok)) AS usd_per_mtok,
       starts_on, ends_on, in_force, min(valid_from) AS valid_from, bool_or(listing_price) AS listing_price
FROM keyed
GROUP BY model_id, provider_id, source, route, component, service_tier, threshold_tokens, hours, starts_on, ends_on,
         in_force;

CREATE OR REPLACE TEMP TABLE _retired_prices AS
SELECT p.*, CAST(o.retired_on AS TIMESTAMP) AT TIME ZONE 'UTC' AS retired_at
FROM _price_all p JOIN _offer_now o USING (model_id, provider_id, source, route)
WHERE o.status = 'retired';

CREATE OR REPLACE TEMP TABLE _price_now AS
SELECT * FROM _price_all p
WHERE NOT EXISTS (SELECT 1 FROM _retired_prices r WHERE r.model_id = p.model_id AND r.provider_id = p.provider_id
                                                    AND r.source = p.source AND r.route = p.route);

-- The base prices this run changes on a listed, unretired route (the run's summary): its open
-- input and output rows (price_history's open row) against this run's.
CREATE OR REPLACE TEMP TABLE _base_price_changes AS
WITH now AS (
    SELECT model_id, provider_id, source, route,
           any_value(usd_per_mtok) FILTER (WHERE component = 'input') AS input_usd_per_mtok,
           any_value(usd_per_mtok) FILTER (WHERE component = 'output') AS output_usd_per_mtok
    FROM _price_now p
    WHERE is_listing_price(p) AND component IN ('input', 'output')
    GROUP BY ALL)
SELECT o.model_id, o.provider_id, o.source, o.route, o.input_usd_per_mtok AS old_input,
       o.output_usd_per_mtok AS old_output, n.input_usd_per_mtok AS new_input, n.output_usd_per_mtok AS new_output
FROM price_history o JOIN now n USING (model_id, provider_id, source, route)
WHERE o.valid_to IS NULL
  AND (n.input_usd_per_mtok IS DISTINCT FROM o.input_usd_per_mtok
       OR n.output_usd_per_mtok IS DISTINCT FROM o.output_usd_per_mtok);

-- A retired route's price its source still states, when it is not the key's latest row (a route
-- first seen already retired; a price stated after the retirement): a closed row, so the offerings
-- view shows what the current document states, as its lineage cites.
INSERT INTO offering_prices BY NAME
SELECT r.* EXCLUDE (retired_at), greatest(r.retired_at, r.valid_from) AS valid_to, false AS preferred
FROM _retired_prices r
WHERE NOT EXISTS (
    SELECT 1 FROM offering_prices h
    WHERE h.model_id = r.model_id AND h.provider_id = r.provider_id AND h.source = r.source AND h.route = r.route
      AND h.component = r.component AND h.service_tier = r.service_tier AND h.threshold_tokens = r.threshold_tokens
      AND h.hours IS NOT DISTINCT FROM r.hours AND h.starts_on IS NOT DISTINCT FROM r.starts_on
      AND h.ends_on IS NOT DISTINCT FROM r.ends_on AND h.in_force = r.in_force
      AND h.usd_per_mtok = r.usd_per_mtok AND h.listing_price = r.listing_price
      AND h.valid_from = (SELECT max(l.valid_from) FROM offering_prices l
                          WHERE l.model_id = h.model_id AND l.provider_id = h.provider_id AND l.source = h.source
                            AND l.route = h.route AND l.component = h.component
                            AND l.service_tier = h.service_tier AND l.threshold_tokens = h.threshold_tokens
                            AND l.hours IS NOT DISTINCT FROM h.hours AND l.starts_on IS NOT DISTINCT FROM h.starts_on
                            AND l.ends_on IS NOT DISTINCT FROM h.ends_on AND l.in_force = h.in_force));

-- Close the open rows whose key is gone or whose value changed; open rows for new or changed keys
-- (a closed row is never preferred).
-- scd2: offering_prices

-- preferred: per model, provider, variant and price key, the preferred listing's own row (the one
-- offerings.preferred picks, so a route's base prices here are its offerings' columns); a key that
-- listing does not state, the offering order's first other active listing stating it.
CREATE OR REPLACE TEMP TABLE _price_ranked AS
SELECT p.model_id, p.provider_id, p.source, p.route, p.variant, p.component, p.service_tier, p.threshold_tokens,
       p.hours, p.starts_on, p.ends_on, p.in_force, p.usd_per_mtok,
       row_number() OVER (PARTITION BY p.model_id, p.provider_id, coalesce(p.variant, ''), p.component,
                                       p.service_tier, p.threshold_tokens, coalesce(p.hours, '')
                          ORDER BY o.preferred DESC, coalesce(s.offering_rank, 99), p.valid_from DESC, p.route,
                                   p.source) = 1 AS preferred
FROM offering_prices p
JOIN offering_listings o ON o.model_id = p.model_id AND o.provider_id = p.provider_id AND o.source = p.source
                AND o.route = p.route AND o.active  -- a retired route prices nothing
LEFT JOIN _source_rank s ON s.source = p.source
WHERE p.valid_to IS NULL AND p.in_force;

UPDATE offering_prices AS h SET preferred = coalesce(r.preferred, false)
FROM (SELECT o.rowid AS id, r.preferred FROM offering_prices o
      LEFT JOIN _price_ranked r
        ON r.model_id = o.model_id AND r.provider_id = o.provider_id AND r.source = o.source AND r.route = o.route
       AND r.component = o.component AND r.service_tier = o.service_tier AND r.threshold_tokens = o.threshold_tokens
       AND r.hours IS NOT DISTINCT FROM o.hours AND r.starts_on IS NOT DISTINCT FROM o.starts_on
       AND r.ends_on IS NOT DISTINCT FROM o.ends_on AND r.in_force = o.in_force
      WHERE o.valid_to IS NULL) r
WHERE h.rowid = r.id AND h.preferred IS DISTINCT FROM coalesce(r.preferred, false);

-- Conflicts: a key stated with different values by two sources (the base prices are judged by
-- step 6 already).
INSERT INTO conflicts
WITH evidence AS (  -- the document behind each listed price component
    SELECT model_id, provider_id, source, route, min(url) AS url, min(as_of) AS as_of, min(copy_of) AS copy_of
    FROM _offer_obs WHERE field = 'price_usd_per_mtok' GROUP BY ALL),
judged AS (
    SELECT l.*, e.url, e.as_of, e.copy_of, p.usd_per_mtok AS chosen_price, p.source AS chosen_source, s.offering_rank,
           _equivalent('usd_per_mtok', CAST(l.usd_per_mtok AS DOUBLE), CAST(p.usd_per_mtok AS DOUBLE), 'x', 'x',
                       t.relative, t.absolute, false) AS agrees
    FROM _price_ranked l
    JOIN _price_ranked p ON p.preferred AND p.model_id = l.model_id AND p.provider_id = l.provider_id
     AND p.variant IS NOT DISTINCT FROM l.variant AND p.component = l.component
     AND p.service_tier = l.service_tier AND p.threshold_tokens = l.threshold_tokens
     AND p.hours IS NOT DISTINCT FROM l.hours
    JOIN _tolerance t ON t.kind = 'usd_per_mtok'
    LEFT JOIN _source_rank s ON s.source = l.source
    LEFT JOIN evidence e ON e.model_id = l.model_id AND e.provider_id = l.provider_id AND e.source = l.source
                        AND e.route = l.route
    WHERE NOT (l.service_tier = 'standard' AND l.threshold_tokens = 0 AND l.hours IS NULL
               AND l.component IN ('input', 'output', 'cache_read', 'cache_write_5m')))
SELECT model_id || '@' || provider_id || coalesce(' (' || variant || ')', '') AS entity,
       format('price_usd_per_mtok[{} {}{}{}]', component, service_tier,
              CASE WHEN threshold_tokens > 0 THEN ' >' || threshold_tokens ELSE '' END,
              coalesce(' ' || hours, '')) AS field,
       list({'source': source, 'source_id': route, 'value': _number_text(usd_per_mtok), 'copy_of': copy_of,
             'url': url, 'as_of': as_of} ORDER BY offering_rank, source, route),
       _number_text(any_value(chosen_price)), any_value(chosen_source),
       format('{} is preferred by the offering order {}; {} of {} listings differ beyond tolerance',
              any_value(chosen_source), (SELECT string_agg(source, ' > ' ORDER BY offering_rank)
                                         FROM _source_rank WHERE in_offering_order),
              count(*) FILTER (WHERE NOT agrees), count(*)),
       'disagreement'
FROM judged
GROUP BY model_id, provider_id, variant, component, service_tier, threshold_tokens, hours
HAVING bool_or(NOT agrees) AND count(DISTINCT source) > 1;
