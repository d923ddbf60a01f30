-- Reconcile, step 6: conflicts. Every disagreement stays visible: the candidates with their
-- sources, the value chosen and why.
DELETE FROM conflicts;

-- Model fields and capabilities: a candidate not equivalent to the chosen value, from a deciding
-- class or below it (a fallback class), where the field has conflicts. Sources are counted as
-- independent witnesses: a row that copies another source (precedence.yaml `derived`) counts as
-- the source it copies. The winning source itself may state another value in the same class (a
-- card's text and a count from its config): the reason then lists its values with their notes.
INSERT INTO conflicts
SELECT model_id AS entity,
       CASE target WHEN 'capability' THEN 'supports_' || column_name ELSE column_name END AS field,
       list({'source': source, 'source_id': source_id, 'value': value, 'provider': source_provider_id,
             'copy_of': copy_of, 'url': url, 'as_of': as_of}
            ORDER BY rank, source_rank, source_id, source_provider_id, txt, url, field) AS candidates,
       CASE WHEN any_value(d.rule) IS NULL THEN any_value(chosen_value) END AS chosen,
       CASE WHEN any_value(d.rule) IS NULL THEN any_value(chosen_source) END AS chosen_source,
       CASE WHEN any_value(d.rule) = 'disputed_by'
            THEN format('disputed, so unknown: {} ({}) states {} and {} of {} independent sources a value beyond '
                        'tolerance, among them {} (precedence.yaml disputed_by)',
                        any_value(chosen_class), any_value(chosen_source), any_value(chosen_value),
                        count(DISTINCT witness) FILTER (WHERE NOT agrees), count(DISTINCT witness),
                        string_agg(DISTINCT class || ' (' || source || ' ' || value || ')', ', '
                                   ORDER BY class || ' (' || source || ' ' || value || ')')
                            FILTER (WHERE NOT agrees AND disputes AND exact_id AND class <> chosen_class))
            ELSE format('{} ({}) wins by precedence {}; {} of {} independent sources state a value beyond tolerance',
                        any_value(chosen_class), any_value(chosen_source), any_value(order_text),
                        count(DISTINCT witness) FILTER (WHERE NOT agrees), count(DISTINCT witness)) END
       || coalesce(format('; below the deciding classes: {}',
                          string_agg(DISTINCT source || coalesce('/' || source_provider_id, '') || ' (' || class || ')', ', '
                                     ORDER BY source || coalesce('/' || source_provider_id, '') || ' (' || class || ')')
                              FILTER (WHERE NOT agrees AND NOT decides)), '')
       || coalesce('; counted as the source they copy: '
                   || string_agg(DISTINCT source || '/' || source_provider_id || ' copies ' || copy_of, ', '
                              ORDER BY source || '/' || source_provider_id || ' copies ' || copy_of)
                          FILTER (WHERE copy_of IS NOT NULL), '')
       || CASE WHEN bool_or(NOT agrees AND source = chosen_source AND class = chosen_class) THEN
              format('; {} itself states {} (chosen) and {}: within one source an id naming the model exactly, '
                     'then the value more observations state, then the first in value order wins',
                     any_value(chosen_source),
                     any_value(chosen_value || coalesce(' [' || chosen_note || ']', '')),
                     string_agg(DISTINCT value || coalesce(' [' || note || ']', ''), ', ' ORDER BY value || coalesce(' [' || note || ']', ''))
                         FILTER (WHERE NOT agrees AND source = chosen_source AND class = chosen_class))
          ELSE '' END AS reason,
       'disagreement' AS category
FROM _judged
LEFT JOIN _disputed d USING (target, model_id, column_name)
WHERE conflicts AND (target, model_id, column_name) IN (  -- only the fields some candidate disagrees on
    SELECT target, model_id, column_name FROM _judged WHERE conflicts AND NOT agrees)
GROUP BY target, model_id, column_name
HAVING bool_or(NOT agrees);

-- A date read as its month (precedence.yaml day_one_is_month): the chosen date's candidates and the
-- providers' dates of another day of that month; nothing is published.
INSERT INTO conflicts
SELECT j.model_id, j.column_name,
       list({'source': j.source, 'source_id': j.source_id, 'value': j.value, 'provider': j.source_provider_id,
             'copy_of': j.copy_of, 'url': j.url, 'as_of': j.as_of}
            ORDER BY j.rank, j.source_rank, j.source_id, j.source_provider_id, j.url) || any_value(d.dated_by),
       NULL, NULL,
       format('the 1st of a month, read as the month: {} ({}) states {}, {} date it to another day of that month '
              '({}); the day is unknown (precedence.yaml day_one_is_month)',
              any_value(j.chosen_class), any_value(j.chosen_source), any_value(j.chosen_value),
              array_to_string(list_sort(list_distinct([x.source || '/' || x.provider FOR x IN any_value(d.dated_by)])), ', '),
              array_to_string(list_sort(list_distinct([x.value FOR x IN any_value(d.dated_by)])), ', ')),
       'disagreement'
FROM _judged j
JOIN _disputed d USING (target, model_id, column_name)
WHERE d.rule = 'day_one_is_month'
GROUP BY j.target, j.model_id, j.column_name;

-- Offering prices: sources listing one model at one provider (and variant) with different prices.
INSERT INTO conflicts
WITH long AS (
    UNPIVOT (SELECT model_id, provider_id, variant, source, route, preferred, source_provider_id,
                    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
             FROM _offer_now)
    ON input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
    INTO NAME field VALUE price),
evidence AS (  -- the document behind each listed price, and the source it speaks for
    SELECT model_id, provider_id, source, route, field, min(url) AS url, min(as_of) AS as_of,
           min(copy_of) AS copy_of, min(witness) AS witness
    FROM _offer_obs WHERE field IN (SELECT field FROM _offering_conflicts) GROUP BY ALL),
judged AS (
    SELECT l.*, e.url, e.as_of, e.copy_of, coalesce(e.witness, l.source) AS witness,
           p.price AS chosen_price, p.source AS chosen_source, s.offering_rank,
           _equivalent('usd_per_mtok', CAST(l.price AS DOUBLE), CAST(p.price AS DOUBLE), 'x', 'x',
                       t.relative, t.absolute, false) AS agrees
    FROM long l
    JOIN long p ON p.preferred AND p.model_id = l.model_id AND p.provider_id = l.provider_id
               AND p.variant IS NOT DISTINCT FROM l.variant AND p.field = l.field
    JOIN _tolerance t ON t.kind = 'usd_per_mtok'
    LEFT JOIN _source_rank s ON s.source = l.source
    LEFT JOIN evidence e ON e.model_id = l.model_id AND e.provider_id = l.provider_id AND e.source = l.source
                        AND e.route = l.route AND e.field = l.field
    WHERE l.field IN (SELECT field FROM _offering_conflicts))
SELECT model_id || '@' || provider_id || coalesce(' (' || variant || ')', '') AS entity, field,
       list({'source': source, 'source_id': route, 'value': _number_text(price), 'provider': source_provider_id,
             'copy_of': copy_of, 'url': url, 'as_of': as_of} ORDER BY offering_rank, source, route),
       _number_text(any_value(chosen_price)), any_value(chosen_source),
       format('{} is preferred by the offering order {}; {} of {} independent sources list a price beyond tolerance',
              any_value(chosen_source), (SELECT string_agg(source, ' > ' ORDER BY offering_rank)
                                         FROM _source_rank WHERE in_offering_order),
              count(DISTINCT witness) FILTER (WHERE NOT agrees), count(DISTINCT witness))
       || coalesce('; counted as the source they copy: '
                   || string_agg(DISTINCT source || '/' || source_provider_id || ' copies ' || copy_of, ', '
                              ORDER BY source || '/' || source_provider_id || ' copies ' || copy_of)
                          FILTER (WHERE copy_of IS NOT NULL), ''),
       'disagreement'
FROM judged
GROUP BY model_id, provider_id, variant, field
HAVING bool_or(NOT agrees) AND count(DISTINCT witness) > 1;

-- Values left out as implausible (precedence.yaml `plausibility`), each cited with its document.
INSERT INTO conflicts
WITH offered AS (
    SELECT n.*, e.url, e.as_of, e.copy_of FROM _offer_now n
    LEFT JOIN _route_documents e ON e.model_id = n.model_id AND e.provider_id = n.provider_id
                                AND e.source = n.source AND e.route = n.route
    WHERE n.implausible_cache_read OR n.implausible_max_output)
SELECT model_id || '@' || provider_id, 'cache_read_usd_per_mtok',
       [{'source': source, 'source_id': route, 'value': _number_text(cache_read_usd_per_mtok),
         'provider': source_provider_id, 'copy_of': copy_of, 'url': url, 'as_of': as_of}],
       NULL, NULL,
       format('implausible: cache read price {} above input price {}; left out',
              _number_text(cache_read_usd_per_mtok), _number_text(input_usd_per_mtok)),
       'implausible'
FROM offered WHERE implausible_cache_read
UNION ALL
SELECT model_id || '@' || provider_id, 'max_output_tokens',
       [{'source': source, 'source_id': route, 'value': CAST(max_output_tokens AS VARCHAR),
         'provider': source_provider_id, 'copy_of': copy_of, 'url': url, 'as_of': as_of}],
       NULL, NULL,
       format('implausible: max output tokens {} above the context window {}; left out',
              max_output_tokens, context_window),
       'implausible'
FROM offered WHERE implausible_max_output
UNION ALL
SELECT m.model_id, 'max_output_tokens',
       [{'source': c.source, 'source_id': c.source_id, 'value': c.value, 'provider': c.source_provider_id,
         'copy_of': c.copy_of, 'url': c.url, 'as_of': c.as_of}],
       NULL, NULL,
       format('implausible: max output tokens {} above the context window {}; left out', c.value, w.value),
       'implausible'
FROM models m
JOIN _chosen c ON c.target = 'model' AND c.model_id = m.model_id AND c.column_name = 'max_output_tokens'
JOIN _chosen w ON w.target = 'model' AND w.model_id = m.model_id AND w.column_name = 'context_window'
WHERE m.max_output_tokens IS NULL AND _output_above_context(c.value_int, w.value_int);

-- Kinds: a source's mode or modalities stating another kind than the one chosen
-- (pipeline/identity/kinds.py: a specific kind wins over a gateway's generic 'chat').
INSERT INTO conflicts
SELECT e.model_id, 'kind',
       list({'source': e.source, 'source_id': e.source_id, 'value': e.kind || ' (' || e.basis || ')',
             'provider': e.provider_id, 'copy_of': NULL, 'url': e.url, 'as_of': e.as_of}
            ORDER BY e.source, e.provider_id, e.source_id, e.basis),
       any_value(k.kind), any_value(k.kind_basis),
       format('{} by {}; {} of {} statements by mode or modalities say otherwise', any_value(k.kind),
              any_value(k.kind_basis), count(*) FILTER (WHERE e.kind <> k.kind), count(*)),
       'disagreement'
FROM _kind_evidence e
JOIN _model_kinds k USING (model_id)
WHERE e.basis <> 'name'
GROUP BY e.model_id
HAVING bool_or(e.kind <> k.kind);

-- Moving aliases whose target no source states (pipeline/identity/families.py): listed with the
-- snapshots they may name, each listing of the alias cited.
INSERT INTO conflicts
SELECT f.undated_model_id, 'alias_target',
       list({'source': d.source, 'source_id': d.source_id, 'value': array_to_string(f.snapshots, ', '),
             'provider': d.source_provider_id, 'copy_of': NULL, 'url': d.url, 'as_of': d.as_of}
            ORDER BY d.source, d.source_provider_id, d.source_id),
       NULL, NULL,
       format('moving alias, target not stated: {} snapshots are listed ({}) and no source states which one '
              'the name serves; it is kept apart and never compared with them',
              len(any_value(f.snapshots)), array_to_string(any_value(f.snapshots), ', ')),
       'moving_alias'
FROM _model_families f
JOIN (SELECT model_id, source, source_id, source_provider_id, min(url) AS url, min(as_of) AS as_of
      FROM _obs GROUP BY ALL) d ON d.model_id = f.undated_model_id
WHERE f.decision = 'alias'
GROUP BY f.undated_model_id;

-- Ids that match two canonical models: recorded, never silently picked.
INSERT INTO conflicts
SELECT source || ':' || source_id AS entity, 'model_id' AS field,
       list({'source': source, 'source_id': source_id, 'value': candidate, 'provider': NULL,
             'copy_of': NULL, 'url': url, 'as_of': as_of} ORDER BY candidate) AS candidates,
       NULL, NULL,
       format('ambiguous: the id matches {} canonical models by {}; settle it in pipeline/aliases.yaml',
              count(DISTINCT candidate), any_value(rule)),
       'ambiguous_id'
FROM (SELECT DISTINCT r.source, r.source_id, r.rule, unnest(r.candidates) AS candidate, d.url, d.as_of
      FROM _resolution r
      LEFT JOIN (SELECT source, source_id, min(url) AS url, min(as_of) AS as_of FROM _obs GROUP BY ALL) d
             ON d.source = r.source AND d.source_id = r.source_id
      WHERE r.method = 'ambiguous')
GROUP BY source, source_id;
