-- Audit: a route's context or output limit (one model at one provider and variant) as each source
-- listing it states it; warehouse/audit.py keeps the routes where independent sources differ
-- beyond the token tolerance. The value used is the preferred listing's.
WITH l AS (
    SELECT l.entity, o.variant, l.field, l.source, l.source_provider_id, l.route, l.value, l.copy_of, l.url,
           d.as_of, o.preferred
    FROM lineage l
    JOIN offering_listings o ON l.entity = o.model_id || '@' || o.provider_id AND o.source = l.source AND o.route = l.route
    LEFT JOIN raw_documents d ON d.source = l.source AND d.url = l.url AND d.sha256 = l.document_sha256
    WHERE l.entity_type = 'offering' AND l.field IN ('context_window', 'max_output_tokens') AND o.active
      AND l.value IS NOT NULL)
SELECT entity || coalesce(' (' || variant || ')', '') AS entity, field,
       list({'source': source, 'source_id': route, 'value': value, 'provider': source_provider_id,
             'copy_of': copy_of, 'url': url, 'as_of': as_of} ORDER BY source, route, value) AS candidates,
       min(value) FILTER (WHERE preferred) AS chosen, min(source) FILTER (WHERE preferred) AS chosen_source
FROM l
GROUP BY entity, variant, field
HAVING count(DISTINCT coalesce(copy_of, source)) > 1 AND count(DISTINCT value) > 1
ORDER BY 1, 2;
