-- Layer 1: what each source said. Append-only; a failed source never deletes rows here.
CREATE SEQUENCE IF NOT EXISTS run_ids START 1;

CREATE TABLE IF NOT EXISTS runs (
    run_id       BIGINT PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    snapshot     VARCHAR,            -- snapshot folder replayed, NULL for a live crawl
    status       VARCHAR             -- ok (every source that ran loaded), partial, failed (none loaded)
);
COMMENT ON TABLE runs IS 'One row per refresh; per-source outcomes are in run_sources.';
-- Added later: the run's as-of, what source ages are measured at (a replay's: its snapshot's date;
-- live: when it started). NULL in runs recorded before.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS as_of TIMESTAMPTZ;

CREATE TABLE IF NOT EXISTS run_sources (
    run_id        BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,  -- ok, failed, held (a shrunken document awaits `versus accept`), or skipped (not fetched: the snapshot holds none of it)
    documents     INTEGER NOT NULL,  -- documents fetched in this run
    observations  INTEGER NOT NULL,  -- observations those documents yield
    rejected      INTEGER NOT NULL,  -- values that failed validation
    error         VARCHAR,           -- URL and reason when failed; why when skipped
    finished_at   TIMESTAMPTZ,
    PRIMARY KEY (run_id, source)
);
COMMENT ON TABLE run_sources IS 'Per run and source: ok, failed or skipped, counts, and the error naming URL and reason (or why it was skipped).';

CREATE TABLE IF NOT EXISTS raw_documents (
    source          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    run_id          BIGINT NOT NULL,      -- the run that first landed this body
    fetched_at      TIMESTAMPTZ NOT NULL, -- first fetch of this body
    last_run_id     BIGINT NOT NULL,      -- latest run that fetched the same body
    last_fetched_at TIMESTAMPTZ NOT NULL,
    http_status     INTEGER,
    content_type    VARCHAR,
    as_of           VARCHAR,              -- when the data was true, where the source says
    parsed          BOOLEAN NOT NULL,     -- false: the body could not be used (see parse_error)
    parse_error     VARCHAR,
    body            BLOB,                 -- verbatim, zstd-compressed by DuckDB storage
    PRIMARY KEY (source, url, sha256)
);
COMMENT ON TABLE raw_documents IS 'Every distinct payload body fetched, verbatim, with its provenance.';
-- Added after the first warehouses were built (kept in place): when the document's facts took
-- effect, the data's date: its as_of when a timestamp, else the replayed snapshot's date (the
-- newest timestamp as_of among its documents), else its fetch time. NULL in rows landed before.
ALTER TABLE raw_documents ADD COLUMN IF NOT EXISTS effective_at TIMESTAMPTZ;
-- Added later: why a document that parsed is held (it states far fewer models/routes than its URL's
-- last accepted one, pipeline/sources.yaml hold_below): stored, not current, until `versus accept`.
-- NULL: not held.
ALTER TABLE raw_documents ADD COLUMN IF NOT EXISTS held VARCHAR;

CREATE TABLE IF NOT EXISTS observations (
    source           VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    document_sha256  VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    as_of            VARCHAR,
    model_id         VARCHAR NOT NULL,    -- the source's own model id
    provider_id      VARCHAR,             -- the source's own provider id (NULL: model-level fact)
    field            VARCHAR NOT NULL,
    value_decimal    DECIMAL(18, 9),      -- prices: USD per million tokens, exact
    value_int        BIGINT,              -- token and parameter counts
    value_bool       BOOLEAN,
    value_date       DATE,
    value_text       VARCHAR,
    value_list       VARCHAR[],
    unit             VARCHAR,
    note             VARCHAR,
    price_component  VARCHAR,             -- field price_usd_per_mtok: what it prices (see offering_prices)
    price_service_tier VARCHAR,
    price_threshold_tokens BIGINT,
    price_threshold_inclusive BOOLEAN,
    price_starts_on  DATE,
    price_ends_on    DATE,
    price_hours      VARCHAR,
    price_in_force   BOOLEAN
);
COMMENT ON TABLE observations IS 'One typed fact per row, as a source stated it, traceable to raw_documents by (source, url, document_sha256).';

ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_component VARCHAR;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_service_tier VARCHAR;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_threshold_tokens BIGINT;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_threshold_inclusive BOOLEAN;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_starts_on DATE;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_ends_on DATE;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_hours VARCHAR;
ALTER TABLE observations ADD COLUMN IF NOT EXISTS price_in_force BOOLEAN;

CREATE TABLE IF NOT EXISTS rejected_observations (
    source           VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    document_sha256  VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    model_id         VARCHAR,
    provider_id      VARCHAR,
    field            VARCHAR,
    raw_value        VARCHAR,
    reason           VARCHAR NOT NULL
);
COMMENT ON TABLE rejected_observations IS 'Values that failed validation, with the reason; never silently dropped.';

-- The documents whose observations are current: per source and URL, the latest body that parsed
-- and is not held.
CREATE OR REPLACE VIEW current_documents AS
SELECT source, url, sha256, as_of, last_fetched_at, last_run_id,
       coalesce(effective_at, try_cast(as_of AS TIMESTAMPTZ), fetched_at) AS effective_at
FROM raw_documents
WHERE parsed AND held IS NULL
QUALIFY row_number() OVER (PARTITION BY source, url ORDER BY last_fetched_at DESC) = 1;

CREATE OR REPLACE VIEW current_observations AS
SELECT o.*
FROM observations o
JOIN current_documents d ON d.source = o.source AND d.url = o.url AND d.sha256 = o.document_sha256;
COMMENT ON VIEW current_observations IS 'Observations from the latest usable document of each source URL: what reconciliation reads.';
