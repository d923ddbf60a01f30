-- Benchmarks. Layer 1: benchmark_observations, each score as a source stated it (append-only,
-- like observations). Layer 2: benchmarks (pipeline/benchmarks.yaml) and benchmark_results
-- (resolved to canonical models, with history), rebuilt by reconciliation
-- (warehouse/sql/reconcile/28_benchmarks.sql). COMMENTs are in 11_comments.sql.
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
