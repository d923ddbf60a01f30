-- Reconcile, step 4: price_history as a slowly changing dimension (type 2), per offering.
-- An unchanged price adds nothing. A changed price closes the open row (valid_to) and opens a new
-- one. An offering that lost its price or disappeared has its open row closed; a reappearance
-- opens a new row. valid_from is when the document's facts took effect (the data's date, never the
-- calendar: raw_documents.effective_at). A disappearance closes at the newest such time of the
-- source's current documents (else the data's date): when the source last said otherwise.
-- A retired route closes at its retirement date, or at the row's own valid_from when the date is
-- earlier (never a negative interval); one first seen already retired gets a closed row.
CREATE OR REPLACE TEMP TABLE _priced AS
SELECT model_id, provider_id, source, route, input_usd_per_mtok, output_usd_per_mtok, valid_from
FROM _offer_now
WHERE (input_usd_per_mtok IS NOT NULL OR output_usd_per_mtok IS NOT NULL) AND status <> 'retired';

CREATE OR REPLACE TEMP TABLE _retired_priced AS
SELECT model_id, provider_id, source, route, input_usd_per_mtok, output_usd_per_mtok, valid_from,
       CAST(retired_on AS TIMESTAMP) AT TIME ZONE 'UTC' AS retired_at
FROM _offer_now
WHERE (input_usd_per_mtok IS NOT NULL OR output_usd_per_mtok IS NOT NULL) AND status = 'retired';

CREATE OR REPLACE TEMP TABLE _open AS SELECT * FROM price_history WHERE valid_to IS NULL;

CREATE OR REPLACE TEMP TABLE _closing AS
WITH source_time AS (
    SELECT source, max(effective_at) AS at
    FROM current_documents GROUP BY source)
SELECT o.model_id, o.provider_id, o.source, o.route,
       o.input_usd_per_mtok AS old_input, o.output_usd_per_mtok AS old_output,
       n.input_usd_per_mtok AS new_input, n.output_usd_per_mtok AS new_output,
       greatest(coalesce(n.valid_from, r.retired_at, st.at, (SELECT data_at FROM _data_now)), o.valid_from) AS closed_at,
       n.model_id IS NOT NULL AS changed
FROM _open o
LEFT JOIN _priced n USING (model_id, provider_id, source, route)
LEFT JOIN _retired_priced r USING (model_id, provider_id, source, route)
LEFT JOIN source_time st ON st.source = o.source
WHERE n.model_id IS NULL
   OR n.input_usd_per_mtok IS DISTINCT FROM o.input_usd_per_mtok
   OR n.output_usd_per_mtok IS DISTINCT FROM o.output_usd_per_mtok;

UPDATE price_history AS h SET valid_to = c.closed_at
FROM _closing c
WHERE h.valid_to IS NULL AND h.model_id = c.model_id AND h.provider_id = c.provider_id
  AND h.source = c.source AND h.route = c.route;

INSERT INTO price_history
SELECT n.model_id, n.provider_id, n.source, n.route, n.input_usd_per_mtok, n.output_usd_per_mtok,
       coalesce(c.closed_at, n.valid_from) AS valid_from, NULL AS valid_to
FROM _priced n
LEFT JOIN _open o USING (model_id, provider_id, source, route)
LEFT JOIN _closing c USING (model_id, provider_id, source, route)
WHERE o.model_id IS NULL OR c.changed;

INSERT INTO price_history
SELECT r.model_id, r.provider_id, r.source, r.route, r.input_usd_per_mtok, r.output_usd_per_mtok,
       r.valid_from, greatest(r.retired_at, r.valid_from) AS valid_to
FROM _retired_priced r
WHERE NOT EXISTS (SELECT 1 FROM price_history h
                  WHERE h.model_id = r.model_id AND h.provider_id = r.provider_id
                    AND h.source = r.source AND h.route = r.route);
