-- compare_pair(a, b): one pair computed on demand from comparison_models, whether or not
-- `comparisons` holds it (that table keeps only the pairs people read: warehouse/comparisons.py).
--     FROM compare_pair('openai/gpt-4o', 'anthropic/claude-sonnet-4')
-- Canonical ids in either order; the row is in canonical order (model_a < model_b), with the
-- columns of `comparisons` but generated_at and changed_at; no row when the two are not compared
-- (two kinds, a moving alias and its own snapshot, or an id that is not tracked).
-- last_reviewed: the stored pair's when `comparisons` holds it, else the earlier of the two models'
-- comparison_models.last_reviewed; materialized says which.
ALTER TABLE comparison_models ADD COLUMN IF NOT EXISTS last_reviewed DATE;
COMMENT ON COLUMN comparison_models.last_reviewed IS 'Date of the latest run in which every contributing source of the model was fetched successfully; NULL before the first.';

-- The pair's last_reviewed alone (the rule above), without computing the pair: `versus compare` reads it.
CREATE OR REPLACE MACRO pair_last_reviewed(a, b) AS
    coalesce((SELECT c.last_reviewed FROM comparisons c
              WHERE c.model_a = least(CAST(a AS VARCHAR), CAST(b AS VARCHAR))
                AND c.model_b = greatest(CAST(a AS VARCHAR), CAST(b AS VARCHAR))),
             (SELECT least(ma.last_reviewed, mb.last_reviewed) FROM comparison_models ma, comparison_models mb
              WHERE ma.model_id = CAST(a AS VARCHAR) AND mb.model_id = CAST(b AS VARCHAR)));

CREATE OR REPLACE MACRO compare_pair(a, b) AS TABLE
SELECT p.* EXCLUDE (inputs_changed_at),
       pair_last_reviewed(p.model_a, p.model_b) AS last_reviewed,
       EXISTS (SELECT 1 FROM comparisons c WHERE c.model_a = p.model_a AND c.model_b = p.model_b) AS materialized
FROM comparison_pairs_of([CAST(a AS VARCHAR)], [CAST(b AS VARCHAR)]) p;

-- Pairs someone asked for (a front end, a script, an analyst's INSERT): each refresh stores the pairs
-- requested in the last 90 days (warehouse.comparisons.REQUESTED_DAYS) beside the site's.
CREATE TABLE IF NOT EXISTS comparison_requests (
    model_a       VARCHAR NOT NULL,
    model_b       VARCHAR NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE comparison_requests IS 'Pairs requested (canonical ids, either order) and when: a refresh keeps each pair requested in the last 90 days in comparisons.';
