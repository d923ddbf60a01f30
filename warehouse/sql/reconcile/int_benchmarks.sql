-- Reconcile, benchmarks (from pipeline/benchmarks.yaml, registered as _benchmarks) and
-- benchmark_results, the current benchmark observations of resolved ids, with history.
-- A leaderboard name's setting ('-thinking-32k') is its alias's variant; a row's own setting
-- (an Aider run's reasoning effort) comes first. A copy row (_benchmark_copies: models.dev's
-- Aider Polyglot figures are Aider's) is kept only for a model the original source has no row for.
-- History as price_history: a score that changes or disappears closes its open row (valid_to);
-- an unchanged one adds nothing.
DELETE FROM benchmarks;
INSERT INTO benchmarks BY NAME SELECT * FROM _benchmarks;

CREATE OR REPLACE TEMP TABLE _bench_now AS
WITH resolved AS (
    SELECT a.model_id, b.benchmark_id, coalesce(b.setting, a.variant) AS setting, b.harness, b.score,
           b.ci_low, b.ci_high, b.sample_size, b.evaluated_at, b.source, b.model_id AS source_id,
           b.source_row, b.result_url AS url, b.url AS document_url, b.document_sha256, b.note,
           coalesce(try_cast(b.as_of AS TIMESTAMPTZ), b.fetched_at) AS valid_from
    FROM current_benchmark_observations b
    JOIN model_aliases a ON a.source = b.source AND a.provider_id IS NULL AND a.source_id = b.model_id
    WHERE a.model_id IS NOT NULL
), copies AS (
    SELECT r.*, c.of AS copy_of
    FROM resolved r
    LEFT JOIN _benchmark_copies c ON c.source = r.source AND c.benchmark_id = r.benchmark_id
)
SELECT * EXCLUDE (copy_of), copy_of
FROM copies c
WHERE copy_of IS NULL
   OR NOT EXISTS (SELECT 1 FROM resolved o WHERE o.source = c.copy_of AND o.model_id = c.model_id
                                             AND o.benchmark_id = c.benchmark_id)
-- one row per key: a source stating one model's benchmark twice under one setting keeps its first
QUALIFY row_number() OVER (PARTITION BY model_id, benchmark_id, setting, harness, source, source_id, source_row
                           ORDER BY evaluated_at DESC NULLS LAST, score DESC) = 1;

CREATE OR REPLACE TEMP TABLE _bench_closing AS
SELECT o.model_id, o.benchmark_id, o.setting, o.harness, o.source, o.source_id, o.source_row,
       greatest(coalesce(n.valid_from, (SELECT now FROM _reconcile_run)), o.valid_from) AS closed_at,
       n.model_id IS NOT NULL AS changed
FROM benchmark_results o
LEFT JOIN _bench_now n
       ON n.model_id = o.model_id AND n.benchmark_id = o.benchmark_id AND n.setting IS NOT DISTINCT FROM o.setting
      AND n.harness IS NOT DISTINCT FROM o.harness AND n.source = o.source AND n.source_id = o.source_id
      AND n.source_row IS NOT DISTINCT FROM o.source_row
WHERE o.valid_to IS NULL
  AND (n.model_id IS NULL OR n.score <> o.score OR n.ci_low IS DISTINCT FROM o.ci_low
       OR n.ci_high IS DISTINCT FROM o.ci_high OR n.copy_of IS DISTINCT FROM o.copy_of);

UPDATE benchmark_results AS h SET valid_to = c.closed_at
FROM _bench_closing c
WHERE h.valid_to IS NULL AND h.model_id = c.model_id AND h.benchmark_id = c.benchmark_id
  AND h.setting IS NOT DISTINCT FROM c.setting AND h.harness IS NOT DISTINCT FROM c.harness
  AND h.source = c.source AND h.source_id = c.source_id AND h.source_row IS NOT DISTINCT FROM c.source_row;

INSERT INTO benchmark_results BY NAME
SELECT n.* EXCLUDE (valid_from), greatest(n.valid_from, coalesce(c.closed_at, n.valid_from)) AS valid_from,
       NULL AS valid_to
FROM _bench_now n
LEFT JOIN benchmark_results o
       ON o.valid_to IS NULL AND o.model_id = n.model_id AND o.benchmark_id = n.benchmark_id
      AND o.setting IS NOT DISTINCT FROM n.setting AND o.harness IS NOT DISTINCT FROM n.harness
      AND o.source = n.source AND o.source_id = n.source_id AND o.source_row IS NOT DISTINCT FROM n.source_row
LEFT JOIN _bench_closing c
       ON c.model_id = n.model_id AND c.benchmark_id = n.benchmark_id AND c.setting IS NOT DISTINCT FROM n.setting
      AND c.harness IS NOT DISTINCT FROM n.harness AND c.source = n.source AND c.source_id = n.source_id
      AND c.source_row IS NOT DISTINCT FROM n.source_row
WHERE o.model_id IS NULL;
