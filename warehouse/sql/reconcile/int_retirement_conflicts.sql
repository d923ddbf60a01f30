-- Reconcile, step 8: retirement conflicts. A route's retirement (offerings.retired_on) holds for
-- every source's row of it; a source that lists the route, stating no retirement, in a document
-- dated after the retirement date says it is live then: a disagreement, shown here, each listing
-- cited with its document (url, as_of) like every other conflict's candidates.
INSERT INTO conflicts
WITH stated AS (
    SELECT DISTINCT model_id, provider_id, coalesce(variant, '') AS variant_key, source, route
    FROM _offer_obs
    WHERE field = 'deprecation_date' OR (field = 'deprecated' AND value_bool)),
retired AS (
    SELECT DISTINCT model_id, provider_id, variant, coalesce(variant, '') AS variant_key, retired_on
    FROM _offer_now WHERE retired_on IS NOT NULL),
candidates AS (
    SELECT r.model_id, r.provider_id, r.variant, r.retired_on, o.source, o.route, o.source_provider_id,
           e.url, e.as_of, e.copy_of,
           s.source IS NOT NULL AS states_retirement,
           CASE WHEN s.source IS NOT NULL THEN 'retired on ' || CAST(r.retired_on AS VARCHAR)
                ELSE 'listed live on ' || CAST(CAST(timezone('UTC', o.valid_from) AS DATE) AS VARCHAR) END AS value,
           s.source IS NULL AND CAST(timezone('UTC', o.valid_from) AS DATE) > r.retired_on AS live_after
    FROM retired r
    JOIN _offer_now o ON o.model_id = r.model_id AND o.provider_id = r.provider_id
                     AND coalesce(o.variant, '') = r.variant_key
    LEFT JOIN stated s ON s.model_id = o.model_id AND s.provider_id = o.provider_id
                      AND s.variant_key = coalesce(o.variant, '') AND s.source = o.source AND s.route = o.route
    LEFT JOIN _route_documents e ON e.model_id = o.model_id AND e.provider_id = o.provider_id
                                AND e.source = o.source AND e.route = o.route)
SELECT model_id || '@' || provider_id || coalesce(' (' || variant || ')', '') AS entity, 'retired_on' AS field,
       list({'source': source, 'source_id': route, 'value': value, 'provider': source_provider_id,
             'copy_of': copy_of, 'url': url, 'as_of': as_of} ORDER BY NOT states_retirement, source, route),
       CAST(any_value(retired_on) AS VARCHAR),
       string_agg(DISTINCT source, ', ' ORDER BY source) FILTER (WHERE states_retirement),
       format('the route is retired on {} as {} states; {} of {} listings state it live after that date '
              '(a retirement belongs to the route: a later listing does not revive it)',
              any_value(retired_on), string_agg(DISTINCT source, ', ' ORDER BY source) FILTER (WHERE states_retirement),
              count(*) FILTER (WHERE live_after), count(*)),
       'disagreement'
FROM candidates
GROUP BY model_id, provider_id, variant
HAVING bool_or(live_after) AND bool_or(states_retirement);
