-- Reconcile, step 3: offering_listings (offerings but for its prices), one per (model_id,
-- provider_id, source, route), with this run's
-- values; first_seen, last_seen and active carry over from earlier runs. An offering no source
-- lists any more is kept, inactive: never deleted. A retired route is kept, inactive.
--
-- route: the source's own id for the offering (the LiteLLM key, the OpenRouter id; an OpenRouter
-- endpoint adds '@<tag>'). Sources keyed per provider (models.dev, genai_prices, pricing_pages)
-- prefix the source's provider key where it is not the first providers.yaml lists for the
-- canonical provider ('azure-cognitive-services:gpt-5.4-pro').
CREATE OR REPLACE TEMP TABLE _offer_obs AS
SELECT *,
       CASE WHEN source = 'openrouter' AND source_provider_id LIKE 'openrouter/%'
                THEN source_id || '@' || substr(source_provider_id, 12)
            WHEN source IN ('modelsdev', 'genai_prices', 'pricing_pages') AND NOT coalesce(is_primary, true)
                THEN source_provider_id || ':' || source_id
            ELSE source_id END AS route
FROM _obs
WHERE source_provider_id IS NOT NULL;

-- The document behind each source's row of a route, for citing a route's candidates in conflicts.
CREATE OR REPLACE TEMP TABLE _route_documents AS
SELECT model_id, provider_id, source, route, min(url) AS url, min(as_of) AS as_of, min(copy_of) AS copy_of
FROM _offer_obs GROUP BY ALL;

-- The data's date ("now" for retirements, never the calendar): the newest effective_at of the
-- current documents (their as-of, or a replayed snapshot's date), or for a document a live crawl
-- fetched, its fetch time.
CREATE OR REPLACE TEMP TABLE _data_now AS
SELECT data_at, CAST(timezone('UTC', data_at) AS DATE) AS today
FROM (SELECT coalesce(max(greatest(d.effective_at,
                                   CASE WHEN r.run_id IS NOT NULL AND r.snapshot IS NULL THEN d.last_fetched_at END)),
                      (SELECT now FROM _reconcile_run)) AS data_at
      FROM current_documents d LEFT JOIN runs r ON r.run_id = d.last_run_id);

-- A route's status from its stated retirement: retired once the stated date is not after the
-- data's date; deprecating while it is ahead, or when a source marks it deprecated with no date.
CREATE OR REPLACE TEMP MACRO _route_status(retired_on, deprecated) AS
    CASE WHEN retired_on IS NOT NULL AND retired_on <= (SELECT today FROM _data_now) THEN 'retired'
         WHEN retired_on IS NOT NULL OR coalesce(deprecated, false) THEN 'deprecating'
         ELSE 'active' END;

-- Retirement belongs to the route (model, provider, variant), not to one source's row: every
-- source's row of the route carries the earliest date any source states (LiteLLM
-- deprecation_date, OpenRouter expiration_date) and the deprecated flag any states (models.dev
-- status, genai-prices deprecated). A route no current document states a retirement for keeps
-- the one an earlier run recorded: another source's silence does not revive it.
CREATE OR REPLACE TEMP TABLE _retirement AS
SELECT model_id, provider_id, coalesce(variant, '') AS variant_key,
       min(value_date) FILTER (WHERE field = 'deprecation_date') AS retired_on,
       coalesce(bool_or(value_bool) FILTER (WHERE field = 'deprecated'), false) AS deprecated
FROM _offer_obs
WHERE field = 'deprecation_date' OR (field = 'deprecated' AND value_bool)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE _retirement_prev AS
SELECT model_id, provider_id, coalesce(variant, '') AS variant_key,
       min(retired_on) AS retired_on, bool_or(status = 'deprecating') AS deprecated
FROM offerings
WHERE retired_on IS NOT NULL OR status IN ('deprecating', 'retired')
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE _offer_now AS
WITH raw AS (
    SELECT model_id, provider_id, source, route,
           min(variant) AS variant, min(source_provider_id) AS source_provider_id,
           max(value_decimal) FILTER (WHERE field = 'input_usd_per_mtok') AS input_usd_per_mtok,
           max(value_decimal) FILTER (WHERE field = 'output_usd_per_mtok') AS output_usd_per_mtok,
           max(value_decimal) FILTER (WHERE field = 'cache_read_usd_per_mtok') AS cache_read_usd_per_mtok,
           max(value_decimal) FILTER (WHERE field = 'cache_write_usd_per_mtok') AS cache_write_usd_per_mtok,
           max(value_int) FILTER (WHERE field = 'context_window') AS context_window,
           max(value_int) FILTER (WHERE field = 'max_output_tokens') AS max_output_tokens,
           max(value_date) FILTER (WHERE field = 'listed_at') AS listed_at,
           min(valid_from) AS valid_from, max(seen) AS seen
    FROM _offer_obs
    GROUP BY model_id, provider_id, source, route)
SELECT raw.*,
       coalesce(rt.retired_on, rp.retired_on) AS retired_on,
       _route_status(coalesce(rt.retired_on, rp.retired_on),
                     CASE WHEN rt.model_id IS NOT NULL THEN rt.deprecated ELSE rp.deprecated END) AS status,
       coalesce(raw.cache_read_usd_per_mtok > raw.input_usd_per_mtok, false)
           AND 'cache_read_above_input' IN (SELECT rule FROM _plausibility) AS implausible_cache_read,
       _output_above_context(raw.max_output_tokens, raw.context_window) AS implausible_max_output,
       row_number() OVER (PARTITION BY raw.model_id, raw.provider_id, coalesce(raw.variant, '')
                          ORDER BY coalesce(s.offering_rank, 99), raw.valid_from DESC, raw.route, raw.source) = 1 AS preferred
FROM raw LEFT JOIN _source_rank s USING (source)
LEFT JOIN _retirement rt ON rt.model_id = raw.model_id AND rt.provider_id = raw.provider_id
                        AND rt.variant_key = coalesce(raw.variant, '')
LEFT JOIN _retirement_prev rp ON rp.model_id = raw.model_id AND rp.provider_id = raw.provider_id
                             AND rp.variant_key = coalesce(raw.variant, '');

-- A base price the current document states but that failed validation (rejected_observations)
-- does not make a known price unknown: the route keeps its last accepted value, marked with the
-- rejection (price_rejected), until a valid value arrives.
CREATE OR REPLACE TEMP TABLE _price_rejected AS
SELECT o.model_id, o.provider_id, o.source, o.route, list(DISTINCT r.field) AS fields,
       array_to_string(list_sort(list(DISTINCT r.field || ' ' || coalesce('''' || r.raw_value || '''', 'value')
                                      || ' rejected: ' || r.reason)), '; ') AS note
FROM rejected_observations r
JOIN (SELECT DISTINCT source, url, document_sha256, source_id, source_provider_id, model_id, provider_id, route
      FROM _offer_obs) o
  ON o.source = r.source AND o.url = r.url AND o.document_sha256 = r.document_sha256
 AND o.source_id = r.model_id AND o.source_provider_id = r.provider_id
WHERE r.field IN ('input_usd_per_mtok', 'output_usd_per_mtok', 'cache_read_usd_per_mtok', 'cache_write_usd_per_mtok')
GROUP BY ALL;

ALTER TABLE _offer_now ADD COLUMN price_rejected VARCHAR;
UPDATE _offer_now AS n SET
    input_usd_per_mtok = CASE WHEN list_contains(r.fields, 'input_usd_per_mtok')
                              THEN coalesce(n.input_usd_per_mtok, p.input_usd_per_mtok) ELSE n.input_usd_per_mtok END,
    output_usd_per_mtok = CASE WHEN list_contains(r.fields, 'output_usd_per_mtok')
                               THEN coalesce(n.output_usd_per_mtok, p.output_usd_per_mtok) ELSE n.output_usd_per_mtok END,
    cache_read_usd_per_mtok = CASE WHEN list_contains(r.fields, 'cache_read_usd_per_mtok')
                                   THEN coalesce(n.cache_read_usd_per_mtok, p.cache_read_usd_per_mtok)
                                   ELSE n.cache_read_usd_per_mtok END,
    cache_write_usd_per_mtok = CASE WHEN list_contains(r.fields, 'cache_write_usd_per_mtok')
                                    THEN coalesce(n.cache_write_usd_per_mtok, p.cache_write_usd_per_mtok)
                                    ELSE n.cache_write_usd_per_mtok END,
    price_rejected = r.note
FROM _price_rejected r LEFT JOIN offerings p USING (model_id, provider_id, source, route)
WHERE n.model_id = r.model_id AND n.provider_id = r.provider_id AND n.source = r.source AND n.route = r.route;

CREATE OR REPLACE TEMP TABLE _offer_prev AS SELECT * FROM offerings;

-- The prices are not stored here: offering_prices holds them (step 8), and the offerings view
-- shows a listing's own (schema_views.sql).
DELETE FROM offering_listings;
INSERT INTO offering_listings BY NAME
SELECT coalesce(n.model_id, p.model_id) AS model_id,
       coalesce(n.provider_id, p.provider_id) AS provider_id,
       coalesce(n.source, p.source) AS source,
       coalesce(n.route, p.route) AS route,
       CASE WHEN n.model_id IS NULL THEN p.context_window ELSE n.context_window END AS context_window,
       CASE WHEN n.model_id IS NULL THEN p.max_output_tokens
            WHEN n.implausible_max_output THEN NULL ELSE n.max_output_tokens END AS max_output_tokens,
       coalesce(p.first_seen, n.seen) AS first_seen,
       CASE WHEN n.model_id IS NULL THEN p.last_seen ELSE n.seen END AS last_seen,
       -- active: listed by the source's current documents, and not retired
       n.model_id IS NOT NULL AND n.status <> 'retired' AS active,
       CASE WHEN n.model_id IS NULL THEN p.variant ELSE n.variant END AS variant,
       CASE WHEN n.model_id IS NULL THEN p.source_provider_id ELSE n.source_provider_id END AS source_provider_id,
       coalesce(n.preferred, false) AS preferred,
       CASE WHEN n.model_id IS NULL THEN p.listed_at ELSE n.listed_at END AS listed_at,
       CASE WHEN n.model_id IS NULL THEN p.retired_on ELSE n.retired_on END AS retired_on,
       n.price_rejected AS price_rejected,
       -- catalogue_only: no route source (precedence.yaml offerings.route_sources) lists the model at this
       -- provider and variant now; a route no longer listed keeps what it was
       CASE WHEN n.model_id IS NULL THEN p.catalogue_only
            ELSE NOT EXISTS (SELECT 1 FROM _offer_now r JOIN _source_rank s ON s.source = r.source AND s.lists_routes
                             WHERE r.model_id = n.model_id AND r.provider_id = n.provider_id
                               AND r.variant IS NOT DISTINCT FROM n.variant) END AS catalogue_only,
       CASE WHEN n.model_id IS NULL THEN _route_status(p.retired_on, p.status = 'deprecating')
            ELSE n.status END AS status
FROM _offer_now n
FULL OUTER JOIN _offer_prev p
  ON p.model_id = n.model_id AND p.provider_id = n.provider_id AND p.source = n.source AND p.route = n.route;
