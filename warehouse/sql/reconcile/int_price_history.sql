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

-- scd2: price_history

-- A route first seen already retired: one closed row.
INSERT INTO price_history
SELECT r.model_id, r.provider_id, r.source, r.route, r.input_usd_per_mtok, r.output_usd_per_mtok,
       r.valid_from, greatest(r.retired_at, r.valid_from) AS valid_to
FROM _retired_priced r
WHERE NOT EXISTS (SELECT 1 FROM price_history h
                  WHERE h.model_id = r.model_id AND h.provider_id = r.provider_id
                    AND h.source = r.source AND h.route = r.route);
