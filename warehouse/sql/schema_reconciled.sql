-- Layer 2: reconciled tables analysts query. Rebuilt from current_observations by reconciliation,
-- except offering_prices and offering_listings' first_seen/last_seen, which carry across runs.

CREATE TABLE IF NOT EXISTS providers (
    provider_id  VARCHAR PRIMARY KEY,   -- canonical, e.g. 'mistral', 'azure', 'openrouter', 'nvidia'
    name         VARCHAR NOT NULL,      -- display name, e.g. 'Microsoft Azure AI Foundry'
    url          VARCHAR
);

CREATE TABLE IF NOT EXISTS models (
    model_id           VARCHAR PRIMARY KEY,  -- canonical, e.g. 'mistralai/mistral-small-2603'
    name               VARCHAR NOT NULL,
    vendor             VARCHAR,
    family             VARCHAR,
    release_date       DATE,
    context_window     BIGINT,
    max_output_tokens  BIGINT,
    params_total       BIGINT,
    params_active      BIGINT,
    architecture       VARCHAR,              -- dense or moe
    license            VARCHAR,              -- SPDX id where one exists, else the license's proper name
    knowledge_cutoff   VARCHAR,
    open_weights       BOOLEAN,
    input_modalities   VARCHAR[],
    output_modalities  VARCHAR[],
    hugging_face_id    VARCHAR
);

CREATE TABLE IF NOT EXISTS model_aliases (
    source     VARCHAR NOT NULL,
    source_id  VARCHAR NOT NULL,   -- the source's own model id
    model_id   VARCHAR,            -- NULL: unresolved (or ambiguous, see method)
    method     VARCHAR NOT NULL,   -- link, rule, alias_file, unresolved, ambiguous
    provider_id VARCHAR,           -- the source's provider the id was listed under (NULL: catalogue)
    rule       VARCHAR,            -- which rule: hugging_face_id, exact, vendor_prefix, rewrite, loose_suffix, undated; not_a_model, names_nothing
    variant    VARCHAR,            -- what only tells the route apart: free, us, fp8, ft...
    candidates VARCHAR[]           -- an ambiguous id: the canonical models it matches
);

CREATE TABLE IF NOT EXISTS model_capabilities (
    model_id       VARCHAR NOT NULL,
    capability     VARCHAR NOT NULL,  -- vision, multimodal_input, function_calling, tool_use, structured_outputs, reasoning, code_execution
    value          VARCHAR NOT NULL,  -- yes, no, unknown
    source         VARCHAR,           -- the winning source (NULL when unknown)
    candidates     STRUCT(source VARCHAR, source_id VARCHAR, value BOOLEAN)[]
);

-- offering_listings: the stored part of offerings (schema_views.sql adds the prices from
-- offering_prices): one row per (model, provider, source, route).
CREATE TABLE IF NOT EXISTS offering_listings (
    model_id                  VARCHAR NOT NULL,
    provider_id               VARCHAR NOT NULL,
    source                    VARCHAR NOT NULL,
    route                     VARCHAR NOT NULL,  -- the source's own id for this route, e.g. 'mistralai/mistral-small-2603:free'
    context_window            BIGINT,
    max_output_tokens         BIGINT,
    first_seen                TIMESTAMPTZ,
    last_seen                 TIMESTAMPTZ,
    active                    BOOLEAN NOT NULL,
    variant                   VARCHAR,           -- free, thinking, us, eu-west-1, fp8, ft...: NULL for the plain route
    source_provider_id        VARCHAR,           -- the source's own provider id, e.g. LiteLLM 'azure_ai'
    preferred                 BOOLEAN,           -- the row precedence picks among sources listing this model, provider and variant
    listed_at                 DATE,
    retired_on                DATE,
    catalogue_only            BOOLEAN,
    status                    VARCHAR,
    price_rejected            VARCHAR
);

CREATE TABLE IF NOT EXISTS offering_prices (
    model_id             VARCHAR NOT NULL,
    provider_id          VARCHAR NOT NULL,
    source               VARCHAR NOT NULL,
    route                VARCHAR NOT NULL,  -- with model, provider and source: the offerings row
    variant              VARCHAR,
    component            VARCHAR NOT NULL,  -- input, output, cache_read, cache_write_5m, cache_write_1h, input_audio...
    service_tier         VARCHAR NOT NULL,  -- standard, batch, flex, priority
    threshold_tokens     BIGINT NOT NULL,   -- prompt tokens the tier starts at; 0 for the base price
    threshold_inclusive  BOOLEAN NOT NULL,  -- true: applies from exactly threshold_tokens; false: strictly above
    hours                VARCHAR,           -- a daily window ('00:30:00-16:30:00 UTC'); NULL: all day
    usd_per_mtok         DECIMAL(18, 9) NOT NULL,
    starts_on            DATE,              -- the source's own history: the price applies from this date
    ends_on              DATE,              -- ... until this date (exclusive)
    in_force             BOOLEAN NOT NULL,  -- the price the source states for its as-of date
    valid_from           TIMESTAMPTZ NOT NULL,
    valid_to             TIMESTAMPTZ,       -- NULL while current
    preferred            BOOLEAN NOT NULL,  -- the row the cost engine uses for its model, provider, variant and price key
    listing_price        BOOLEAN NOT NULL DEFAULT false  -- the listing's own base price: offerings' price columns
);

CREATE TABLE IF NOT EXISTS conflicts (
    entity       VARCHAR NOT NULL,   -- model_id, or model_id@provider_id for an offering
    field        VARCHAR NOT NULL,
    candidates   STRUCT(source VARCHAR, source_id VARCHAR, value VARCHAR, provider VARCHAR, copy_of VARCHAR, url VARCHAR, as_of VARCHAR)[],
    chosen       VARCHAR,
    chosen_source VARCHAR,
    reason       VARCHAR NOT NULL,
    category     VARCHAR             -- disagreement, ambiguous_id, implausible
);

CREATE TABLE IF NOT EXISTS lineage (
    entity_type      VARCHAR NOT NULL,  -- model, capability, offering
    entity           VARCHAR NOT NULL,  -- model_id, or model_id@provider_id for an offering
    route            VARCHAR,           -- an offering's route (with source, the offering's key)
    field            VARCHAR NOT NULL,  -- the column (models, offerings) or capability it supports
    source           VARCHAR NOT NULL,
    source_provider_id VARCHAR,
    source_id        VARCHAR NOT NULL,  -- the source's own model id
    url              VARCHAR NOT NULL,
    document_sha256  VARCHAR NOT NULL,  -- with source and url: the raw_documents row
    observed_field   VARCHAR NOT NULL,  -- the observations.field read
    value            VARCHAR,
    chosen           BOOLEAN NOT NULL,  -- true: this observation states the published value (within tolerance)
    exact            BOOLEAN,           -- true: it states the published value itself (cited for it)
    class            VARCHAR,           -- card, vendor, catalogue, aggregator, provider (precedence.yaml)
    copy_of          VARCHAR            -- the source it copies (precedence.yaml derived); NULL: independent
);

-- Columns added after the first warehouses were built: added in place, so an existing warehouse
-- keeps its rows (and offering_listings' and offering_prices' history) when it is next opened
-- (a stored offerings or price_history table moves: warehouse.db.apply_schema).
ALTER TABLE model_aliases ADD COLUMN IF NOT EXISTS provider_id VARCHAR;
ALTER TABLE model_aliases ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE model_aliases ADD COLUMN IF NOT EXISTS variant VARCHAR;
ALTER TABLE model_aliases ADD COLUMN IF NOT EXISTS candidates VARCHAR[];
ALTER TABLE conflicts ADD COLUMN IF NOT EXISTS category VARCHAR;
ALTER TABLE providers ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE conflicts ALTER COLUMN candidates TYPE STRUCT(source VARCHAR, source_id VARCHAR, value VARCHAR, provider VARCHAR, copy_of VARCHAR, url VARCHAR, as_of VARCHAR)[];
ALTER TABLE lineage ADD COLUMN IF NOT EXISTS exact BOOLEAN;
ALTER TABLE lineage ADD COLUMN IF NOT EXISTS class VARCHAR;
ALTER TABLE lineage ADD COLUMN IF NOT EXISTS copy_of VARCHAR;
ALTER TABLE models ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE offering_prices ADD COLUMN IF NOT EXISTS listing_price BOOLEAN DEFAULT false;
ALTER TABLE models ADD COLUMN IF NOT EXISTS kind_basis VARCHAR;
ALTER TABLE models ADD COLUMN IF NOT EXISTS alias_candidates VARCHAR[];
ALTER TABLE model_aliases ADD COLUMN IF NOT EXISTS alias_kind VARCHAR;

CREATE TABLE IF NOT EXISTS model_families (
    undated_model_id VARCHAR NOT NULL,  -- the undated canonical id ('openai/gpt-4o')
    snapshots        VARCHAR[] NOT NULL, -- the dated canonical ids sources list for it
    decision         VARCHAR NOT NULL,   -- merged, split, alias
    evidence         VARCHAR NOT NULL,
    relation         VARCHAR,            -- snapshot (dated names), instruct (a bare size name and its -instruct)
    kept_model_id    VARCHAR             -- merged: the canonical id the one model keeps
);
