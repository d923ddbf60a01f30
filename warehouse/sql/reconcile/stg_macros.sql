-- Reconcile, step 0: the macros later steps share.
-- Whether two values are the same fact (pipeline/reconcile.py `equivalent` is the reference).
CREATE OR REPLACE TEMP MACRO _equivalent(kind, a_num, b_num, a_txt, b_txt, rel, abs_tol, binary_prefix) AS
    CASE
        WHEN a_txt IS NULL OR b_txt IS NULL THEN a_txt IS NULL AND b_txt IS NULL
        WHEN kind IN ('tokens', 'parameters', 'usd_per_mtok') THEN
            abs(a_num - b_num) <= rel * greatest(abs(a_num), abs(b_num)) + abs_tol
            OR (binary_prefix AND list_bool_or([
                (a_num % pow(1000, k) = 0 AND b_num = a_num / pow(1000, k) * pow(1024, k))
                OR (b_num % pow(1000, k) = 0 AND a_num = b_num / pow(1000, k) * pow(1024, k))
                FOR k IN [1, 2, 3]]))
        WHEN kind = 'month' THEN starts_with(a_txt, b_txt) OR starts_with(b_txt, a_txt)
        ELSE a_txt = b_txt
    END;

-- A price or count as text, without trailing zeros: '0.15', '131072'.
CREATE OR REPLACE TEMP MACRO _number_text(d) AS
    CASE WHEN d IS NULL THEN NULL
         WHEN d = trunc(d) THEN CAST(CAST(d AS HUGEINT) AS VARCHAR)
         ELSE rtrim(CAST(d AS VARCHAR), '0') END;

-- An output limit above the context window it goes with, beyond the token tolerance
-- (8192 against 8000, or 262144 against 256000, is the same limit spelled two ways).
CREATE OR REPLACE TEMP MACRO _output_above_context(max_output, context) AS
    coalesce(max_output > context AND NOT (
        SELECT _equivalent('tokens', CAST(max_output AS DOUBLE), CAST(context AS DOUBLE), 'x', 'x',
                           relative, absolute, binary_prefix)
        FROM _tolerance WHERE kind = 'tokens'), false)
    AND 'output_above_context' IN (SELECT rule FROM _plausibility);
