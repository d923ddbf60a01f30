-- SCD2 of {table} from {staged} (warehouse/history.py renders this for each history table).
-- An open row (valid_to NULL) whose key is no longer staged, or whose tracked columns changed,
-- closes at the staged valid_from (a gone key: History.gone_at), never before its own valid_from;
-- a new or changed key opens a row from that time. An unchanged row adds nothing.
CREATE OR REPLACE TEMP TABLE {closing} AS
SELECT {closing_columns},
       greatest(coalesce(n.valid_from, {gone_at}), o.valid_from) AS closed_at,
       n.{first_key} IS NOT NULL AS changed
FROM {table} o
LEFT JOIN {staged} n ON {match_n_o}
{gone_joins}
WHERE o.valid_to IS NULL AND (n.{first_key} IS NULL OR {differs});

UPDATE {table} AS h SET valid_to = c.closed_at{on_close}
FROM {closing} c
WHERE h.valid_to IS NULL AND {match_h_c};

INSERT INTO {table} BY NAME
SELECT n.* EXCLUDE (valid_from), coalesce(c.closed_at, n.valid_from) AS valid_from, NULL AS valid_to{on_open}
FROM {staged} n
LEFT JOIN {table} o ON o.valid_to IS NULL AND {match_o_n}
LEFT JOIN {closing} c ON c.changed AND {match_c_n}
WHERE o.{first_key} IS NULL;
