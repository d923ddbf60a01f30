-- Benchmarks. Layer 1: benchmark_observations, each score as a source stated it (append-only,
-- like observations). Layer 2: benchmarks (pipeline/benchmarks.yaml) and benchmark_results
-- (resolved to canonical models, with history), rebuilt by reconciliation
-- (warehouse/sql/reconcile/int_benchmarks.sql). COMMENTs are in schema_comments.sql.
CREATE TABLE IF NOT EXISTS benchmark_observations (
    source           VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    document_sha256  VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    as_of            VARCHAR,
    model_id         VARCHAR NOT NULL,   -- the source's own model id
    benchmark_id     VARCHAR NOT NULL,
    setting          VARCHAR,
    harness          VARCHAR,
    score            DECIMAL(18, 6) NOT NULL,
    ci_low           DECIMAL(18, 6),
    ci_high          DECIMAL(18, 6),
    sample_size      BIGINT,
    evaluated_at     DATE,
    result_url       VARCHAR,
    source_row       VARCHAR,
    note             VARCHAR
);

CREATE OR REPLACE VIEW current_benchmark_observations AS
SELECT b.*
FROM benchmark_observations b
JOIN current_documents d ON d.source = b.source AND d.url = b.url AND d.sha256 = b.document_sha256;

CREATE TABLE IF NOT EXISTS benchmarks (
    benchmark_id      VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    metric            VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL,
    higher_is_better  BOOLEAN NOT NULL,
    min_score         DECIMAL(18, 6),
    max_score         DECIMAL(18, 6),
    significance      VARCHAR NOT NULL,
    url               VARCHAR,
    description       VARCHAR
);

CREATE TABLE IF NOT EXISTS benchmark_results (
    model_id         VARCHAR NOT NULL,
    benchmark_id     VARCHAR NOT NULL,
    setting          VARCHAR,
    harness          VARCHAR,
    score            DECIMAL(18, 6) NOT NULL,
    ci_low           DECIMAL(18, 6),
    ci_high          DECIMAL(18, 6),
    sample_size      BIGINT,
    evaluated_at     DATE,
    source           VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    source_row       VARCHAR,
    url              VARCHAR,
    document_url     VARCHAR NOT NULL,
    document_sha256  VARCHAR NOT NULL,
    copy_of          VARCHAR,
    note             VARCHAR,
    valid_from       TIMESTAMPTZ NOT NULL,
    valid_to         TIMESTAMPTZ
);

-- What records and the pair table compare: per model and comparison key (benchmark, harness,
-- setting), one current row, the original before a copy, then the latest run. Two models' rows
-- compare only when their compare_key is equal: same benchmark and metric, like harness, like setting.
-- A row whose source id names the model ('deepseek-chat' for deepseek/deepseek-chat) comes before
-- one that only resolves to it (an API alias another source links to the same weights).
CREATE OR REPLACE VIEW benchmark_scores AS
SELECT r.*, b.name AS benchmark, b.metric, b.unit, b.higher_is_better, b.significance,
       concat_ws('|', r.benchmark_id, coalesce(r.harness, ''), coalesce(r.setting, '')) AS compare_key
FROM benchmark_results r
JOIN benchmarks b USING (benchmark_id)
WHERE r.valid_to IS NULL
QUALIFY row_number() OVER (PARTITION BY r.model_id, r.benchmark_id, r.harness, r.setting
                           ORDER BY r.copy_of IS NOT NULL,
                                    lower(regexp_extract(r.source_id, '[^/]*$')) <> lower(split_part(r.model_id, '/', 2)),
                                    r.evaluated_at DESC NULLS LAST, r.valid_from DESC,
                                    r.source, r.source_id, r.source_row) = 1;

-- Who leads on a shared row: 1 model A, -1 model B, 0 neither. Where the benchmark publishes
-- intervals, only a gap outside both counts (overlapping intervals: no significant difference).
CREATE OR REPLACE MACRO benchmark_lead(a_score, a_low, a_high, b_score, b_low, b_high, higher_is_better, significance) AS
CASE WHEN significance = 'interval' THEN
          CASE WHEN a_low IS NULL OR b_low IS NULL THEN 0
               WHEN a_low > b_high THEN (CASE WHEN higher_is_better THEN 1 ELSE -1 END)
               WHEN b_low > a_high THEN (CASE WHEN higher_is_better THEN -1 ELSE 1 END)
               ELSE 0 END
     WHEN a_score = b_score THEN 0
     WHEN (a_score > b_score) = higher_is_better THEN 1
     ELSE -1 END;
