-- Audit: stale prices. Each active priced listing of a route (model, provider, variant) was last
-- confirmed by its source on its own date for the entry (genai-prices' `prices_checked`, models.dev's
-- `last_updated`), else its document's effective date (UTC: its as-of when a timestamp, else the
-- data's date, the newest effective_at of the current documents; a version label such as
-- LiteLLM's dates nothing). A listing is
-- stale when its independent source's latest confirmation of the route (a copy counts as the
-- source it copies: a copy lagging its own original is not stale) is more than $1 days older than
-- another independent source's.
WITH data_date AS (
    SELECT CAST(timezone('UTC', max(effective_at)) AS DATE) AS d FROM current_documents),
checked AS (  -- a source's own date of its last check or edit of the entry, per source id and provider
    SELECT source, provider_id, model_id, max(value_date) AS checked_on
    FROM current_observations WHERE field IN ('prices_checked', 'last_updated') GROUP BY ALL),
listing AS (
    SELECT o.model_id, o.provider_id, o.variant, o.source, o.route, o.input_usd_per_mtok, o.output_usd_per_mtok,
           l.source_provider_id, l.url, d.as_of, l.copy_of, coalesce(l.copy_of, l.source) AS witness,
           coalesce(pc.checked_on, CAST(timezone('UTC', coalesce(d.effective_at, try_cast(d.as_of AS TIMESTAMPTZ))) AS DATE),
                    (SELECT d FROM data_date)) AS confirmed_on
    FROM offerings o
    JOIN lineage l ON l.entity_type = 'offering' AND l.entity = o.model_id || '@' || o.provider_id
                  AND l.source = o.source AND l.route = o.route AND l.field = 'input_usd_per_mtok'
    LEFT JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
    LEFT JOIN checked pc ON pc.source = l.source AND pc.provider_id IS NOT DISTINCT FROM l.source_provider_id
                        AND pc.model_id = l.source_id
    WHERE o.active AND o.input_usd_per_mtok IS NOT NULL),
per_witness AS (  -- each independent source's latest confirmation of the route, and its price then
    SELECT model_id, provider_id, variant, witness, max(confirmed_on) AS confirmed_on,
           arg_max(source, (confirmed_on, source, route)) AS source,
           arg_max(input_usd_per_mtok, (confirmed_on, source, route)) AS input_usd_per_mtok,
           arg_max(output_usd_per_mtok, (confirmed_on, source, route)) AS output_usd_per_mtok
    FROM listing GROUP BY ALL),
routes AS (
    SELECT l.model_id, l.provider_id, l.variant,
           list({'source': l.source, 'source_id': l.route, 'value': CAST(l.confirmed_on AS VARCHAR),
                 'provider': l.source_provider_id, 'copy_of': l.copy_of, 'url': l.url, 'as_of': l.as_of}
                ORDER BY l.confirmed_on DESC, l.source, l.route) AS candidates,
           any_value(n.witness) AS newest_witness, any_value(n.source) AS newest_source,
           any_value(n.confirmed_on) AS newest_on, any_value(n.input_usd_per_mtok) AS newest_input,
           any_value(n.output_usd_per_mtok) AS newest_output
    FROM listing l
    JOIN (SELECT * FROM per_witness
          QUALIFY row_number() OVER (PARTITION BY model_id, provider_id, variant
                                     ORDER BY confirmed_on DESC, witness) = 1) n
      ON n.model_id = l.model_id AND n.provider_id = l.provider_id AND n.variant IS NOT DISTINCT FROM l.variant
    GROUP BY l.model_id, l.provider_id, l.variant
    HAVING count(DISTINCT l.witness) > 1)
SELECT r.model_id || '@' || r.provider_id || coalesce(' (' || r.variant || ')', '') AS entity, r.candidates,
       s.source AS stale_source, s.confirmed_on AS stale_on, r.newest_source, r.newest_on,
       date_diff('day', s.confirmed_on, r.newest_on) AS gap_days,
       abs(s.input_usd_per_mtok - r.newest_input) AS d_input, abs(s.output_usd_per_mtok - r.newest_output) AS d_output
FROM routes r
JOIN per_witness s ON s.model_id = r.model_id AND s.provider_id = r.provider_id
                  AND s.variant IS NOT DISTINCT FROM r.variant
WHERE s.witness <> r.newest_witness AND date_diff('day', s.confirmed_on, r.newest_on) > $1
ORDER BY entity, s.witness;
