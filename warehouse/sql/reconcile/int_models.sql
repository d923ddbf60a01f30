-- Reconcile, step 2: models and model_capabilities, one value per field by precedence.yaml.
-- Candidates: observations whose class the field's rule names. A source stating several of the
-- fields a column reads (`from`) counts once, with the first.
-- A name is read without its listing's annotations (pipeline/display_names.py: 'Claude Sonnet 4.5
-- (latest)' is Claude Sonnet 4.5's name).
CREATE OR REPLACE TEMP TABLE _candidates AS
WITH o AS (
    SELECT o.* REPLACE (CASE WHEN d.name IS NOT NULL THEN d.display ELSE o.value_text END
                        AS value_text)
    FROM _obs o LEFT JOIN _display_names d ON o.field = 'name' AND d.name = o.value_text),
o2 AS (
    SELECT * REPLACE (CASE WHEN field = 'name' THEN lower(trim(value_text)) ELSE txt END AS txt,
                      CASE WHEN field = 'name' THEN value_text ELSE value END AS value)
    FROM o WHERE field <> 'name' OR value_text IS NOT NULL)
SELECT f.target, f.column_name, f.kind, f.rank, f.decides, f.conflicts, f.order_text, f.disputes, o.*,
       coalesce(s.source_rank, 99) AS source_rank
FROM o2 o
JOIN _field_rules f ON f.field = o.field AND f.class = o.class
LEFT JOIN _source_rank s ON s.source = o.source
QUALIFY f.field_rank = min(f.field_rank) OVER (
    PARTITION BY f.target, o.model_id, f.column_name, o.source, o.source_provider_id, o.source_id);

-- The chosen candidate: strongest class, then an id that names the model exactly (over one
-- resolved by a link or a looser rule: 'mistral-small-latest'), then the value more independent
-- sources of that class state (a copy counts as the source it copies: precedence.yaml `derived`),
-- then the source order, then the value more candidates of any class state (one source's
-- entries split evenly, as two gateways' entries in models.dev can be, are settled by the other
-- listings, not by value order), then a figure a source states over one it only implies in a name
-- ('119B A6B'), then the value itself (so a run is deterministic). A name is first the one a
-- deciding class lists under the model's own id: another id's name is the alias's or the
-- reseller's ('DeepSeek Chat' is deepseek-chat's, not DeepSeek V3.2's).
-- (support and overall_support are counted by GROUP BY and joined back: a windowed count(DISTINCT)
-- is several times slower.)
CREATE OR REPLACE TEMP TABLE _chosen AS
WITH support AS (
    SELECT target, model_id, column_name, class, txt, count(DISTINCT witness) AS support
    FROM _candidates GROUP BY ALL),
overall AS (
    SELECT target, model_id, column_name, txt, count(*) AS overall_support
    FROM _candidates GROUP BY ALL)
SELECT c.*, s.support, o.overall_support
FROM _candidates c
JOIN support s ON s.target = c.target AND s.model_id = c.model_id AND s.column_name = c.column_name
              AND s.class = c.class AND s.txt IS NOT DISTINCT FROM c.txt
JOIN overall o ON o.target = c.target AND o.model_id = c.model_id AND o.column_name = c.column_name
              AND o.txt IS NOT DISTINCT FROM c.txt
QUALIFY row_number() OVER (PARTITION BY c.target, c.model_id, c.column_name
                           ORDER BY CASE WHEN c.column_name = 'name' THEN NOT (c.decides AND c.exact_id) END,
                                    c.rank, c.exact_id DESC, s.support DESC, c.source_rank, o.overall_support DESC,
                                    coalesce(c.note LIKE '%title names%', false), c.txt, c.source_id,
                                    c.source_provider_id) = 1;

-- Every candidate judged against the chosen value: `agrees` within the field kind's tolerance,
-- `exact` when it states the chosen value itself (only those are cited for it; 128000 agrees
-- with 131072 but is shown as its source's own value).
CREATE OR REPLACE TEMP TABLE _judged AS
SELECT c.*, ch.value AS chosen_value, ch.source AS chosen_source, ch.class AS chosen_class, ch.note AS chosen_note,
       ch.witness AS chosen_witness, ch.exact_id AS chosen_exact_id,
       _equivalent(c.kind, c.num, ch.num, c.txt, ch.txt, t.relative, t.absolute, t.binary_prefix) AS agrees,
       c.txt = ch.txt AS exact
FROM _candidates c
JOIN _chosen ch USING (target, model_id, column_name)
JOIN _tolerance t ON t.kind = c.kind;

-- Disputed columns are unknown (precedence.yaml `disputed_by`, `day_one_is_month`): a class of
-- `disputed_by` other than the chosen value's states, for the model's own id and from another
-- independent source, a value beyond tolerance of the chosen one; or a date chosen on the 1st of a month is dated by a provider
-- (the model's own id) to another day of that month. int_conflicts.sql shows each with chosen NULL.
CREATE OR REPLACE TEMP TABLE _disputed AS
SELECT target, model_id, column_name, 'disputed_by' AS rule, [] AS dated_by
FROM _judged
WHERE disputes AND exact_id AND chosen_exact_id AND NOT agrees AND witness <> chosen_witness
      AND class <> chosen_class
GROUP BY ALL
UNION ALL
SELECT ch.target, ch.model_id, ch.column_name, 'day_one_is_month',
       list_sort(list(DISTINCT {'source': o.source, 'source_id': o.source_id, 'value': o.value,
                                'provider': o.source_provider_id, 'copy_of': o.copy_of, 'url': o.url,
                                'as_of': o.as_of}))  -- in one order every run
FROM _chosen ch
JOIN (SELECT DISTINCT target, column_name FROM _field_rules WHERE day_one_is_month) f USING (target, column_name)
JOIN _obs o ON o.model_id = ch.model_id AND o.field = ch.field AND o.class = 'provider' AND o.exact_id
WHERE day(ch.value_date) = 1 AND date_trunc('month', o.value_date) = ch.value_date AND o.value_date <> ch.value_date
GROUP BY ALL;

DELETE FROM _chosen c
WHERE EXISTS (SELECT 1 FROM _disputed d
              WHERE d.target = c.target AND d.model_id = c.model_id AND d.column_name = c.column_name);

DELETE FROM models;
INSERT INTO models BY NAME
WITH v AS (
    SELECT m.model_id, m.vendor,
           any_value(c.value_text) FILTER (WHERE c.column_name = 'name') AS name,
           any_value(c.value_text) FILTER (WHERE c.column_name = 'family') AS family,
           any_value(c.value_date) FILTER (WHERE c.column_name = 'release_date') AS release_date,
           any_value(c.value_int) FILTER (WHERE c.column_name = 'context_window') AS context_window,
           any_value(c.value_int) FILTER (WHERE c.column_name = 'max_output_tokens') AS max_output_tokens,
           any_value(c.value_int) FILTER (WHERE c.column_name = 'params_total') AS params_total,
           any_value(c.value_int) FILTER (WHERE c.column_name = 'params_active') AS params_active,
           any_value(lower(c.value_text)) FILTER (WHERE c.column_name = 'architecture') AS architecture,
           any_value(c.value_text) FILTER (WHERE c.column_name = 'license') AS license,
           any_value(c.value_text) FILTER (WHERE c.column_name = 'knowledge_cutoff') AS knowledge_cutoff,
           any_value(c.value_bool) FILTER (WHERE c.column_name = 'open_weights') AS open_weights,
           any_value(c.value_list) FILTER (WHERE c.column_name = 'input_modalities') AS input_modalities,
           any_value(c.value_list) FILTER (WHERE c.column_name = 'output_modalities') AS output_modalities,
           any_value(c.value_text) FILTER (WHERE c.column_name = 'hugging_face_id') AS hugging_face_id,
           any_value(k.kind) AS kind, any_value(k.kind_basis) AS kind_basis,
           any_value(f.snapshots) AS alias_candidates
    FROM _identity_models m
    LEFT JOIN _chosen c ON c.model_id = m.model_id AND c.target = 'model'
    LEFT JOIN _model_kinds k ON k.model_id = m.model_id
    LEFT JOIN _model_families f ON f.undated_model_id = m.model_id AND f.decision = 'alias'
    GROUP BY m.model_id, m.vendor)
SELECT * REPLACE (
    coalesce(name, (SELECT display FROM _display_names d WHERE d.model_id = v.model_id)) AS name,  -- else the id's words
    -- plausibility: an output limit above the context window it goes with is left out
    CASE WHEN _output_above_context(max_output_tokens, context_window) THEN NULL
         ELSE max_output_tokens END AS max_output_tokens)
FROM v;

DELETE FROM model_capabilities;
INSERT INTO model_capabilities
WITH caps AS (SELECT DISTINCT column_name AS capability FROM _field_rules WHERE target = 'capability'),
cands AS (
    SELECT model_id, column_name AS capability,
           list({'source': source, 'source_id': source_id, 'value': value_bool}
                ORDER BY rank, source_rank, source_id, value_bool) AS candidates
    FROM _candidates WHERE target = 'capability' GROUP BY ALL)
SELECT m.model_id, caps.capability,
       CASE ch.value_bool WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'unknown' END AS value,
       ch.source,
       coalesce(cands.candidates, []) AS candidates
FROM _identity_models m
CROSS JOIN caps
LEFT JOIN _chosen ch ON ch.target = 'capability' AND ch.model_id = m.model_id AND ch.column_name = caps.capability
LEFT JOIN cands ON cands.model_id = m.model_id AND cands.capability = caps.capability;
