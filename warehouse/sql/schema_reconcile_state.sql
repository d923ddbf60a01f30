-- Run metadata of reconciliation (warehouse/incremental.py): what the last reconcile read and
-- wrote, so that a run whose inputs did not change recomputes nothing.
CREATE TABLE IF NOT EXISTS reconcile_state (
    run_id       BIGINT NOT NULL,       -- the run that reconciled last
    inputs       VARCHAR NOT NULL,      -- digest of the current documents, the rules and code, the known model ids
    outputs      VARCHAR NOT NULL,      -- digest of the reconciled tables as that run left them
    unresolved   INTEGER NOT NULL,      -- ids left unresolved and ambiguous by that identity pass
    ambiguous    INTEGER NOT NULL
);
COMMENT ON TABLE reconcile_state IS 'Run metadata: digests of the last reconcile''s inputs and outputs (an unchanged run recomputes nothing).';

-- Each route's documents (from the last full reconcile), so an unchanged run can move last_seen.
CREATE TABLE IF NOT EXISTS reconcile_route_documents (
    model_id     VARCHAR NOT NULL,
    provider_id  VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    route        VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL
);
COMMENT ON TABLE reconcile_route_documents IS 'Run metadata: the documents each offering was read from by the last full reconcile.';
