-- Layer 3: comparisons of tracked model pairs. warehouse/comparisons.py orchestrates a refresh:
-- per-model summaries once (comparison_model_summaries), pairs by a self-join (comparison_pairs),
-- only pairs with a model whose summary changed are rewritten.
-- A model's routes are its active offerings, the `preferred` row per provider and variant (all rows
-- when preferred is NULL); its prices are the preferred listing's, else its preferred offering_prices
-- rows (comparison_route_prices).
-- A priced route has both input and output price and is not a free tier:
-- the 'free' variant or $0 for both (rate-limited; listed in records, never priced out as cheapest).
-- A tracked model has at least one priced route. Pairs join models of one kind only (models.kind:
-- chat with chat, embedding with embedding); a model of unknown kind is tracked and paired with none.
-- A moving alias (models.alias_candidates) is never paired with one of its own snapshots.
-- Money: prices USD per million tokens; the blended price weighs input by input_share;
-- "percent cheaper" is (higher - lower) / higher and "times as much" is higher / lower, both
-- rounded half up to one decimal exactly (through integers: DuckDB divides decimals as DOUBLE).
-- pipeline/figures.py holds the same arithmetic for records; a test checks they agree.

CREATE TABLE IF NOT EXISTS comparison_models (
    model_id                 VARCHAR NOT NULL,
    vendor                   VARCHAR,
    context_window           BIGINT,
    input_usd_per_mtok       DECIMAL(18, 9),
    input_providers          VARCHAR[],
    output_usd_per_mtok      DECIMAL(18, 9),
    output_providers         VARCHAR[],
    blended_usd_per_mtok     DECIMAL(18, 13),
    blended_providers        VARCHAR[],
    monthly_usd              DECIMAL(38, 15),
    monthly_providers        VARCHAR[],
    routes                   INTEGER NOT NULL,
    providers                VARCHAR[] NOT NULL,
    capabilities_yes         VARCHAR[] NOT NULL,
    capabilities_no          VARCHAR[] NOT NULL,
    sources                  VARCHAR[] NOT NULL,
    input_tokens_per_month   BIGINT NOT NULL,
    output_tokens_per_month  BIGINT NOT NULL,
    input_share              DECIMAL(5, 4) NOT NULL,
    summary_hash             VARCHAR NOT NULL,
    changed_at               TIMESTAMPTZ NOT NULL,
    profile_costs            STRUCT(profile VARCHAR, usd DECIMAL(38, 15), providers VARCHAR[])[]
);
ALTER TABLE comparison_models ADD COLUMN IF NOT EXISTS profile_costs STRUCT(profile VARCHAR, usd DECIMAL(38, 15), providers VARCHAR[])[];
ALTER TABLE comparison_models ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE comparison_models ADD COLUMN IF NOT EXISTS alias_candidates VARCHAR[];
COMMENT ON COLUMN comparison_models.alias_candidates IS 'models.alias_candidates: the snapshots a moving alias may name, never paired with it.';
COMMENT ON COLUMN comparison_models.kind IS 'models.kind: a model is paired only with models of the same kind (NULL: with none).';
COMMENT ON COLUMN comparison_models.profile_costs IS 'Per workload profile (comparison_profiles order): USD a month on the model''s cheapest route for it (NULL: unknown on every route), and the providers at that cost.';
COMMENT ON TABLE comparison_models IS 'Per tracked model, the figures its comparisons use, as of the latest comparison refresh; summary_hash covers every reconciled input of its records.';
COMMENT ON COLUMN comparison_models.sources IS 'Contributing sources: distinct model_aliases.source for the model plus its offerings'' sources.';
COMMENT ON COLUMN comparison_models.summary_hash IS 'md5 of the traffic settings, the models row, capabilities, routes (with provider names), conflicts and contributing sources; fetch times and citations excluded.';
COMMENT ON COLUMN comparison_models.changed_at IS 'When summary_hash last changed: the pairs of this model were rewritten then.';

CREATE TABLE IF NOT EXISTS comparisons (
    model_a                  VARCHAR NOT NULL,
    model_b                  VARCHAR NOT NULL,
    a_input_usd_per_mtok     DECIMAL(18, 9),
    a_input_providers        VARCHAR[],
    b_input_usd_per_mtok     DECIMAL(18, 9),
    b_input_providers        VARCHAR[],
    a_output_usd_per_mtok    DECIMAL(18, 9),
    a_output_providers       VARCHAR[],
    b_output_usd_per_mtok    DECIMAL(18, 9),
    b_output_providers       VARCHAR[],
    a_blended_usd_per_mtok   DECIMAL(18, 13),
    a_blended_providers      VARCHAR[],
    b_blended_usd_per_mtok   DECIMAL(18, 13),
    b_blended_providers      VARCHAR[],
    a_monthly_usd            DECIMAL(38, 15),
    a_monthly_providers      VARCHAR[],
    b_monthly_usd            DECIMAL(38, 15),
    b_monthly_providers      VARCHAR[],
    cheaper_model            VARCHAR,
    percent_cheaper          DECIMAL(4, 1),
    times_as_much            DECIMAL(18, 1),
    monthly_gap_usd          DECIMAL(38, 15),
    a_context_window         BIGINT,
    b_context_window         BIGINT,
    a_routes                 INTEGER NOT NULL,
    b_routes                 INTEGER NOT NULL,
    overlapping_providers    VARCHAR[] NOT NULL,
    a_only_capabilities      VARCHAR[] NOT NULL,
    b_only_capabilities      VARCHAR[] NOT NULL,
    shared_benchmark_rows    INTEGER NOT NULL,
    a_benchmark_leads        INTEGER DEFAULT 0,
    b_benchmark_leads        INTEGER DEFAULT 0,
    benchmark_ties           INTEGER DEFAULT 0,
    input_tokens_per_month   BIGINT NOT NULL,
    output_tokens_per_month  BIGINT NOT NULL,
    input_share              DECIMAL(5, 4) NOT NULL,
    content_hash             VARCHAR NOT NULL,
    generated_at             TIMESTAMPTZ NOT NULL,
    changed_at               TIMESTAMPTZ NOT NULL,
    last_reviewed            DATE,
    profile_costs            STRUCT(profile VARCHAR, a_usd DECIMAL(38, 15), a_providers VARCHAR[],
                                    b_usd DECIMAL(38, 15), b_providers VARCHAR[], gap_usd DECIMAL(38, 15))[]
);
ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS profile_costs STRUCT(profile VARCHAR, a_usd DECIMAL(38, 15),
    a_providers VARCHAR[], b_usd DECIMAL(38, 15), b_providers VARCHAR[], gap_usd DECIMAL(38, 15))[];

-- The workload profiles the pair table prices (pipeline/profiles.yaml, rewritten by each refresh).
CREATE TABLE IF NOT EXISTS comparison_profiles (
    profile                        VARCHAR NOT NULL,
    position                       INTEGER NOT NULL,
    is_default                     BOOLEAN NOT NULL,
    description                    VARCHAR NOT NULL,
    requests_per_month             BIGINT NOT NULL,
    input_tokens_per_request       BIGINT NOT NULL,
    cache_read_tokens_per_request  BIGINT NOT NULL,
    output_tokens_per_request      BIGINT NOT NULL,
    service_tier                   VARCHAR NOT NULL
);
COMMENT ON TABLE comparison_profiles IS 'The workload profiles (pipeline/profiles.yaml) the latest comparison refresh priced: a month of requests of one shape.';
COMMENT ON COLUMN comparison_profiles.cache_read_tokens_per_request IS 'The part of each prompt read from cache (input_tokens_per_request * cached_share).';
COMMENT ON COLUMN comparison_profiles.profile IS 'Profile name (pipeline/profiles.yaml).';
COMMENT ON COLUMN comparison_profiles.position IS 'Order of the profile in the file and in the profile_costs lists.';
COMMENT ON COLUMN comparison_profiles.is_default IS 'The profile the records'' headline traffic is.';
COMMENT ON COLUMN comparison_profiles.description IS 'What the workload is.';
COMMENT ON COLUMN comparison_profiles.requests_per_month IS 'Requests a month.';
COMMENT ON COLUMN comparison_profiles.input_tokens_per_request IS 'The whole prompt, cached part included; it picks the price tier.';
COMMENT ON COLUMN comparison_profiles.output_tokens_per_request IS 'Output tokens per request, reasoning included.';
COMMENT ON COLUMN comparison_profiles.service_tier IS 'standard, batch, flex or priority.';
COMMENT ON COLUMN comparisons.profile_costs IS 'Per workload profile (comparison_profiles order): each model''s USD a month on its cheapest route for that profile and the providers there (NULL: unknown), and the gap.';
COMMENT ON TABLE comparisons IS 'One row per pair of tracked models of one kind (models.kind), model_a < model_b by model_id (unique; no index, to keep 1M-row rewrites cheap): the figures the comparison record of the pair shows.';
COMMENT ON COLUMN comparisons.a_input_usd_per_mtok IS 'Cheapest input price of model_a among its priced routes, USD per million tokens; a_input_providers lists every provider at that price.';
COMMENT ON COLUMN comparisons.a_blended_usd_per_mtok IS 'Lowest blended price of model_a over its priced routes: input * input_share + output * (1 - input_share).';
COMMENT ON COLUMN comparisons.a_monthly_usd IS 'USD a month at input/output_tokens_per_month on model_a''s cheapest route for that traffic (one route, both prices).';
COMMENT ON COLUMN comparisons.cheaper_model IS 'The model with the lower blended price; NULL when equal.';
COMMENT ON COLUMN comparisons.percent_cheaper IS '(higher - lower) / higher * 100 on the blended prices, one decimal, half up: $0.15 against $0.50 is 70.0.';
COMMENT ON COLUMN comparisons.times_as_much IS 'higher / lower on the blended prices, one decimal, half up; NULL when the lower is free.';
COMMENT ON COLUMN comparisons.monthly_gap_usd IS 'Absolute difference of a_monthly_usd and b_monthly_usd.';
COMMENT ON COLUMN comparisons.a_routes IS 'Routes of model_a: distinct (provider, route) among its active preferred offerings, priced or not.';
COMMENT ON COLUMN comparisons.overlapping_providers IS 'Providers with an active route for both models: where to A/B test without a new integration.';
COMMENT ON COLUMN comparisons.a_only_capabilities IS 'Capabilities model_a has (yes) that model_b lacks (no); unknown on either side is not a contrast.';
ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS a_benchmark_leads INTEGER DEFAULT 0;
ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS b_benchmark_leads INTEGER DEFAULT 0;
ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS benchmark_ties INTEGER DEFAULT 0;
COMMENT ON COLUMN comparisons.shared_benchmark_rows IS 'Benchmark rows both models have with the same compare_key (benchmark and metric, harness, setting; view benchmark_scores): the rows the record''s Benchmarks section compares.';
COMMENT ON COLUMN comparisons.a_benchmark_leads IS 'Shared rows model_a leads (macro benchmark_lead: outside both intervals where the benchmark publishes them, else the better score).';
COMMENT ON COLUMN comparisons.b_benchmark_leads IS 'Shared rows model_b leads.';
COMMENT ON COLUMN comparisons.benchmark_ties IS 'Shared rows neither leads: equal scores, or overlapping intervals.';
COMMENT ON COLUMN comparisons.content_hash IS 'md5 of the two models'' summary hashes: changes exactly when an input of the pair changes.';
COMMENT ON COLUMN comparisons.generated_at IS 'When the row was last computed.';
COMMENT ON COLUMN comparisons.changed_at IS 'When content_hash last changed.';
COMMENT ON COLUMN comparisons.last_reviewed IS 'Date of the latest run in which every contributing source of both models was fetched successfully; NULL before the first.';

-- One decimal, half up, exact: x scaled to an integer at 13 decimals (the blended price scale).
CREATE OR REPLACE MACRO comparison_scaled(x) AS CAST(CAST(x AS DECIMAL(38, 13)) * 10000000000000 AS HUGEINT);

CREATE OR REPLACE MACRO comparison_percent_cheaper(lo, hi) AS CASE
    WHEN lo IS NULL OR hi IS NULL THEN NULL
    WHEN hi = 0 THEN CAST(0 AS DECIMAL(4, 1))
    ELSE CAST(CAST((2000 * (comparison_scaled(hi) - comparison_scaled(lo)) + comparison_scaled(hi))
                   // (2 * comparison_scaled(hi)) AS DECIMAL(18, 0)) * 0.1 AS DECIMAL(4, 1)) END;

CREATE OR REPLACE MACRO comparison_times_as_much(lo, hi) AS CASE
    WHEN lo IS NULL OR hi IS NULL OR lo = 0 THEN NULL
    ELSE CAST(CAST((20 * comparison_scaled(hi) + comparison_scaled(lo)) // (2 * comparison_scaled(lo))
                   AS DECIMAL(18, 0)) * 0.1 AS DECIMAL(18, 1)) END;

-- Per priced route (an active preferred offering with both base prices, not a free tier): the
-- preferred listing's own base prices, else the route's preferred offering_prices rows (the next
-- listing stating them; warehouse/records.py reads them the same way and cites it), blended by input
-- share, and a month of the traffic at them (the headline figures; a test holds them to the cost
-- engine on every route).
CREATE OR REPLACE MACRO comparison_route_prices(input_tokens, output_tokens, share) AS TABLE
WITH base AS (
    SELECT model_id, provider_id, variant,
           any_value(usd_per_mtok) FILTER (WHERE component = 'input') AS input_usd_per_mtok,
           any_value(usd_per_mtok) FILTER (WHERE component = 'output') AS output_usd_per_mtok
    FROM route_price_rows()
    WHERE service_tier = 'standard' AND threshold_tokens = 0 AND component IN ('input', 'output')
    GROUP BY ALL
),
routes AS (
    SELECT o.model_id, o.provider_id, o.variant,
           coalesce(o.input_usd_per_mtok, b.input_usd_per_mtok) AS input_usd_per_mtok,
           coalesce(o.output_usd_per_mtok, b.output_usd_per_mtok) AS output_usd_per_mtok
    FROM offerings o
    LEFT JOIN base b ON b.model_id = o.model_id AND b.provider_id = o.provider_id AND b.variant IS NOT DISTINCT FROM o.variant
    WHERE o.active AND coalesce(o.preferred, true)
)
SELECT model_id, provider_id, variant, input_usd_per_mtok, output_usd_per_mtok,
       CAST(input_usd_per_mtok * CAST(share AS DECIMAL(5, 4)) + output_usd_per_mtok * (1 - CAST(share AS DECIMAL(5, 4)))
            AS DECIMAL(18, 13)) AS blended,
       CAST(input_usd_per_mtok * CAST(input_tokens AS BIGINT) * 0.000001
            + output_usd_per_mtok * CAST(output_tokens AS BIGINT) * 0.000001 AS DECIMAL(38, 15)) AS monthly
FROM routes
WHERE input_usd_per_mtok IS NOT NULL AND output_usd_per_mtok IS NOT NULL
  AND variant IS DISTINCT FROM 'free'
  AND NOT (input_usd_per_mtok = 0 AND output_usd_per_mtok = 0);

-- Per tracked model: cheapest figures, routes, capabilities, sources and the summary hash.
-- model_ids / vendors (lists, or NULL for all) narrow the tracked set; vendors compare lower-case.
-- Profile costs are read, never computed here: the temp table route_profile_costs holds the cost
-- engine's figure for each route and profile (warehouse/costs.py, write_route_profile_costs, run
-- first), and this only picks each model's cheapest route per profile.
CREATE OR REPLACE MACRO comparison_model_summaries(input_tokens, output_tokens, share, model_ids, vendors) AS TABLE
WITH settings AS (
    SELECT CAST(input_tokens AS BIGINT) AS input_tokens_per_month,
           CAST(output_tokens AS BIGINT) AS output_tokens_per_month,
           CAST(share AS DECIMAL(5, 4)) AS input_share
),
active AS (SELECT * FROM offerings WHERE active AND coalesce(preferred, true)),
priced AS (SELECT * FROM comparison_route_prices(input_tokens, output_tokens, share)),
tracked AS (
    SELECT m.model_id, m.vendor, m.context_window, m.kind, m.alias_candidates FROM models m
    WHERE m.model_id IN (SELECT model_id FROM priced)
      AND (model_ids IS NULL OR list_contains(model_ids, m.model_id))
      AND (vendors IS NULL OR list_contains(vendors, lower(m.vendor)))
),
lowest AS (
    SELECT model_id, min(input_usd_per_mtok) AS input, min(output_usd_per_mtok) AS output,
           min(blended) AS blended, min(monthly) AS monthly
    FROM priced GROUP BY model_id
),
cheapest AS (
    SELECT p.model_id,
        any_value(l.input) AS input_usd_per_mtok,
        list_sort(list_distinct(list(p.provider_id) FILTER (WHERE p.input_usd_per_mtok = l.input))) AS input_providers,
        any_value(l.output) AS output_usd_per_mtok,
        list_sort(list_distinct(list(p.provider_id) FILTER (WHERE p.output_usd_per_mtok = l.output))) AS output_providers,
        any_value(l.blended) AS blended_usd_per_mtok,
        list_sort(list_distinct(list(p.provider_id) FILTER (WHERE p.blended = l.blended))) AS blended_providers,
        any_value(l.monthly) AS monthly_usd,
        list_sort(list_distinct(list(p.provider_id) FILTER (WHERE p.monthly = l.monthly))) AS monthly_providers
    FROM priced p JOIN lowest l USING (model_id)
    GROUP BY p.model_id
),
route_profile AS (SELECT * FROM route_profile_costs),  -- the cost engine's, per route and profile
profile_lowest AS (SELECT model_id, profile, min(usd) AS usd FROM route_profile GROUP BY ALL),
profile_cheapest AS (
    SELECT r.model_id, r.profile, any_value(l.usd) AS usd,
           list_sort(list_distinct(list(r.provider_id) FILTER (WHERE r.usd = l.usd))) AS providers
    FROM route_profile r JOIN profile_lowest l USING (model_id, profile)
    GROUP BY ALL
),
profile_lists AS (
    SELECT t.model_id,
           list({'profile': p.profile, 'usd': c.usd, 'providers': coalesce(c.providers, [])}
                ORDER BY p.position) AS profile_costs
    FROM tracked t CROSS JOIN comparison_profiles p
    LEFT JOIN profile_cheapest c ON c.model_id = t.model_id AND c.profile = p.profile
    GROUP BY t.model_id
),
route_counts AS (
    SELECT model_id, CAST(count(DISTINCT (provider_id, route)) AS INTEGER) AS routes,
           list_sort(list_distinct(list(provider_id))) AS providers
    FROM active GROUP BY model_id
),
capability_lists AS (
    SELECT model_id,
           list_sort(list(capability) FILTER (WHERE value = 'yes')) AS capabilities_yes,
           list_sort(list(capability) FILTER (WHERE value = 'no')) AS capabilities_no
    FROM model_capabilities GROUP BY model_id
),
source_lists AS (
    SELECT model_id, list_sort(list_distinct(list(source))) AS sources
    FROM (SELECT model_id, source FROM model_aliases WHERE model_id IS NOT NULL
          UNION ALL SELECT model_id, source FROM offering_listings)
    GROUP BY model_id
),
facts AS (
    SELECT model_id, md5(string_agg(fact, chr(10) ORDER BY fact)) AS facts_hash
    FROM (
        SELECT model_id, 'model ' || to_json(m) AS fact FROM models m
        UNION ALL
        SELECT model_id, 'capability ' || to_json(c) FROM model_capabilities c
        UNION ALL
        SELECT o.model_id, 'offering ' || to_json({provider_id: o.provider_id, provider: p.name, source: o.source,
            route: o.route, variant: o.variant, input: o.input_usd_per_mtok, output: o.output_usd_per_mtok,
            cache_read: o.cache_read_usd_per_mtok, cache_write: o.cache_write_usd_per_mtok,
            context_window: o.context_window, max_output_tokens: o.max_output_tokens})
        FROM active o LEFT JOIN providers p USING (provider_id)
        UNION ALL
        SELECT CASE WHEN contains(entity, '@') THEN regexp_extract(entity, '^(.*)@', 1) ELSE entity END,
               'conflict ' || to_json(c)
        FROM conflicts c
        UNION ALL
        SELECT model_id, 'benchmark ' || to_json(s) FROM benchmark_scores s
    )
    GROUP BY model_id
)
SELECT t.model_id, t.vendor, t.context_window, t.kind, t.alias_candidates,
       c.input_usd_per_mtok, c.input_providers, c.output_usd_per_mtok, c.output_providers,
       c.blended_usd_per_mtok, c.blended_providers, c.monthly_usd, c.monthly_providers,
       r.routes, r.providers,
       coalesce(k.capabilities_yes, []) AS capabilities_yes,
       coalesce(k.capabilities_no, []) AS capabilities_no,
       coalesce(s.sources, []) AS sources,
       st.input_tokens_per_month, st.output_tokens_per_month, st.input_share,
       md5(concat_ws('|', st.input_tokens_per_month, st.output_tokens_per_month, st.input_share,
                     f.facts_hash, array_to_string(coalesce(s.sources, []), ','),
                     (SELECT md5(string_agg(to_json(cp), chr(10) ORDER BY position)) FROM comparison_profiles cp),
                     to_json(pl.profile_costs))) AS summary_hash,
       pl.profile_costs
FROM tracked t
JOIN cheapest c USING (model_id)
JOIN route_counts r USING (model_id)
LEFT JOIN capability_lists k USING (model_id)
LEFT JOIN source_lists s USING (model_id)
LEFT JOIN facts f USING (model_id)
LEFT JOIN profile_lists pl USING (model_id)
CROSS JOIN settings st;

-- Per pair of models with benchmark rows (model_a < model_b): rows with the same compare_key, and
-- who leads them (macro benchmark_lead, warehouse/sql/schema_benchmarks.sql).
CREATE OR REPLACE MACRO comparison_benchmark_pairs() AS TABLE
SELECT model_a, model_b, count(*) AS shared, count(*) FILTER (WHERE lead = 1) AS a_leads,
       count(*) FILTER (WHERE lead = -1) AS b_leads, count(*) FILTER (WHERE lead = 0) AS ties
FROM (
    SELECT a.model_id AS model_a, b.model_id AS model_b,
           benchmark_lead(a.score, a.ci_low, a.ci_high, b.score, b.ci_low, b.ci_high, a.higher_is_better,
                          a.significance) AS lead
    FROM benchmark_scores a
    JOIN benchmark_scores b ON b.compare_key = a.compare_key AND a.model_id < b.model_id
)
GROUP BY model_a, model_b;

-- Whether two comparison_models rows are compared: one kind (a NULL kind: with none), and never a
-- moving alias with one of its own snapshots.
CREATE OR REPLACE MACRO comparison_pairable(a_id, a_kind, a_names, b_id, b_kind, b_names) AS
    a_kind = b_kind AND NOT list_contains(coalesce(a_names, []), b_id) AND NOT list_contains(coalesce(b_names, []), a_id);

-- The pairs to compute, model_a < model_b: every pairable pair of comparison_models when wanted_a is
-- NULL; else only the pairable ones of (wanted_a[i], wanted_b[i]), given in either order.
CREATE OR REPLACE MACRO comparison_pair_keys(wanted_a, wanted_b) AS TABLE
SELECT a.model_id AS model_a, b.model_id AS model_b
FROM comparison_models a
JOIN comparison_models b ON a.model_id < b.model_id
                         AND comparison_pairable(a.model_id, a.kind, a.alias_candidates, b.model_id, b.kind, b.alias_candidates)
WHERE wanted_a IS NULL
UNION ALL
SELECT a.model_id, b.model_id
FROM (SELECT DISTINCT least(x, y) AS model_a, greatest(x, y) AS model_b
      FROM (SELECT unnest(wanted_a) AS x, unnest(wanted_b) AS y)) w
JOIN comparison_models a ON a.model_id = w.model_a
JOIN comparison_models b ON b.model_id = w.model_b
WHERE a.model_id < b.model_id
  AND comparison_pairable(a.model_id, a.kind, a.alias_candidates, b.model_id, b.kind, b.alias_candidates);

-- comparison_benchmark_pairs for the pairs comparison_pair_keys(wanted_a, wanted_b) names: all of
-- them by one self-join when wanted_a is NULL, else pair by pair.
CREATE OR REPLACE MACRO comparison_benchmark_pairs_of(wanted_a, wanted_b) AS TABLE
SELECT * FROM comparison_benchmark_pairs() WHERE wanted_a IS NULL
UNION ALL
SELECT model_a, model_b, count(*) AS shared, count(*) FILTER (WHERE lead = 1) AS a_leads,
       count(*) FILTER (WHERE lead = -1) AS b_leads, count(*) FILTER (WHERE lead = 0) AS ties
FROM (
    SELECT w.model_a, w.model_b,
           benchmark_lead(a.score, a.ci_low, a.ci_high, b.score, b.ci_low, b.ci_high, a.higher_is_better,
                          a.significance) AS lead
    FROM (SELECT DISTINCT least(x, y) AS model_a, greatest(x, y) AS model_b
          FROM (SELECT unnest(wanted_a) AS x, unnest(wanted_b) AS y)) w
    JOIN benchmark_scores a ON a.model_id = w.model_a
    JOIN benchmark_scores b ON b.model_id = w.model_b AND b.compare_key = a.compare_key
    -- one pair (compare_pair): the ids as constants, so the view reads only their rows (10x faster)
    WHERE len(wanted_a) <> 1 OR (a.model_id IN (wanted_a[1], wanted_b[1]) AND b.model_id IN (wanted_a[1], wanted_b[1]))
)
GROUP BY model_a, model_b;

-- The pair rows (the columns of `comparisons` a refresh computes) of comparison_pair_keys(wanted_a,
-- wanted_b); inputs_changed_at tells a refresh which pairs to rewrite. The one pair SQL: the
-- materialized table, comparison_pairs() and compare_pair() all read it.
CREATE OR REPLACE MACRO comparison_pairs_of(wanted_a, wanted_b) AS TABLE
SELECT
    a.model_id AS model_a, b.model_id AS model_b,
    a.input_usd_per_mtok AS a_input_usd_per_mtok, a.input_providers AS a_input_providers,
    b.input_usd_per_mtok AS b_input_usd_per_mtok, b.input_providers AS b_input_providers,
    a.output_usd_per_mtok AS a_output_usd_per_mtok, a.output_providers AS a_output_providers,
    b.output_usd_per_mtok AS b_output_usd_per_mtok, b.output_providers AS b_output_providers,
    a.blended_usd_per_mtok AS a_blended_usd_per_mtok, a.blended_providers AS a_blended_providers,
    b.blended_usd_per_mtok AS b_blended_usd_per_mtok, b.blended_providers AS b_blended_providers,
    a.monthly_usd AS a_monthly_usd, a.monthly_providers AS a_monthly_providers,
    b.monthly_usd AS b_monthly_usd, b.monthly_providers AS b_monthly_providers,
    CASE WHEN a.blended_usd_per_mtok < b.blended_usd_per_mtok THEN a.model_id
         WHEN b.blended_usd_per_mtok < a.blended_usd_per_mtok THEN b.model_id END AS cheaper_model,
    comparison_percent_cheaper(least(a.blended_usd_per_mtok, b.blended_usd_per_mtok),
                               greatest(a.blended_usd_per_mtok, b.blended_usd_per_mtok)) AS percent_cheaper,
    comparison_times_as_much(least(a.blended_usd_per_mtok, b.blended_usd_per_mtok),
                             greatest(a.blended_usd_per_mtok, b.blended_usd_per_mtok)) AS times_as_much,
    abs(a.monthly_usd - b.monthly_usd) AS monthly_gap_usd,
    a.context_window AS a_context_window, b.context_window AS b_context_window,
    a.routes AS a_routes, b.routes AS b_routes,
    list_sort(list_intersect(a.providers, b.providers)) AS overlapping_providers,
    list_sort(list_intersect(a.capabilities_yes, b.capabilities_no)) AS a_only_capabilities,
    list_sort(list_intersect(b.capabilities_yes, a.capabilities_no)) AS b_only_capabilities,
    CAST(coalesce(sb.shared, 0) AS INTEGER) AS shared_benchmark_rows,
    CAST(coalesce(sb.a_leads, 0) AS INTEGER) AS a_benchmark_leads,
    CAST(coalesce(sb.b_leads, 0) AS INTEGER) AS b_benchmark_leads,
    CAST(coalesce(sb.ties, 0) AS INTEGER) AS benchmark_ties,
    a.input_tokens_per_month, a.output_tokens_per_month, a.input_share,
    [{'profile': a.profile_costs[i].profile,
      'a_usd': a.profile_costs[i].usd, 'a_providers': a.profile_costs[i].providers,
      'b_usd': b.profile_costs[i].usd, 'b_providers': b.profile_costs[i].providers,
      'gap_usd': abs(a.profile_costs[i].usd - b.profile_costs[i].usd)}
     FOR i IN range(1, len(a.profile_costs) + 1)] AS profile_costs,
    md5(a.summary_hash || b.summary_hash) AS content_hash,
    greatest(a.changed_at, b.changed_at) AS inputs_changed_at
FROM comparison_pair_keys(wanted_a, wanted_b) k
JOIN comparison_models a ON a.model_id = k.model_a
JOIN comparison_models b ON b.model_id = k.model_b
LEFT JOIN comparison_benchmark_pairs_of(wanted_a, wanted_b) sb ON sb.model_a = a.model_id AND sb.model_b = b.model_id;

-- Every pair of the models in comparison_models of one kind, model_a < model_b.
CREATE OR REPLACE MACRO comparison_pairs() AS TABLE
SELECT * FROM comparison_pairs_of(CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]));
