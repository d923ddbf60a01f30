-- Audit: stale prices. Each active priced listing of a route (model, provider, variant) was last
-- confirmed by its source on its `prices_checked` date (genai-prices states one per model), else
-- its document's as-of date (UTC) when that is a timestamp, else the data's date (the newest timestamp
-- as-of among current documents: a version label such as LiteLLM's dates nothing). A listing is
-- stale when another independent source confirmed the same route more than $1 days later.
WITH data_date AS (
    SELECT CAST(timezone('UTC', max(try_cast(as_of AS TIMESTAMPTZ))) AS DATE) AS d FROM current_documents),
checked AS (  -- a source's own date of its last price check, per source id and provider
    SELECT source, provider_id, model_id, max(value_date) AS checked_on
    FROM current_observations WHERE field = 'prices_checked' GROUP BY ALL),
listing AS (
    SELECT o.model_id, o.provider_id, o.variant, o.source, o.route, o.input_usd_per_mtok, o.output_usd_per_mtok,
           l.source_provider_id, l.url, d.as_of, l.copy_of, coalesce(l.copy_of, l.source) AS witness,
           coalesce(pc.checked_on, CAST(timezone('UTC', try_cast(d.as_of AS TIMESTAMPTZ)) AS DATE),
                    (SELECT d FROM data_date)) AS confirmed_on
    FROM offerings o
    JOIN lineage l ON l.entity_type = 'offering' AND l.entity = o.model_id || '@' || o.provider_id
                  AND l.source = o.source AND l.route = o.route AND l.field = 'input_usd_per_mtok'
    LEFT JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
    LEFT JOIN checked pc ON pc.source = l.source AND pc.provider_id IS NOT DISTINCT FROM l.source_provider_id
                        AND pc.model_id = l.source_id
    WHERE o.active AND o.input_usd_per_mtok IS NOT NULL),
routes AS (
    SELECT model_id, provider_id, variant,
           list({'source': source, 'source_id': route, 'value': CAST(confirmed_on AS VARCHAR),
                 'provider': source_provider_id, 'copy_of': copy_of, 'url': url, 'as_of': as_of}
                ORDER BY confirmed_on DESC, source, route) AS candidates,
           max(confirmed_on) AS newest_on,
           arg_max(witness, (confirmed_on, witness)) AS newest_witness,
           arg_max(input_usd_per_mtok, (confirmed_on, witness)) AS newest_input,
           arg_max(output_usd_per_mtok, (confirmed_on, witness)) AS newest_output
    FROM listing GROUP BY ALL
    HAVING count(DISTINCT witness) > 1)
SELECT r.model_id || '@' || r.provider_id || coalesce(' (' || r.variant || ')', '') AS entity, r.candidates,
       s.source AS stale_source, s.confirmed_on AS stale_on, r.newest_witness, r.newest_on,
       date_diff('day', s.confirmed_on, r.newest_on) AS gap_days,
       abs(s.input_usd_per_mtok - r.newest_input) AS d_input, abs(s.output_usd_per_mtok - r.newest_output) AS d_output
FROM routes r
JOIN listing s ON s.model_id = r.model_id AND s.provider_id = r.provider_id AND s.variant IS NOT DISTINCT FROM r.variant
WHERE s.witness <> r.newest_witness AND date_diff('day', s.confirmed_on, r.newest_on) > $1
ORDER BY entity, s.source, s.route;
