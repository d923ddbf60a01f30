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

-- scd2: benchmark_results
