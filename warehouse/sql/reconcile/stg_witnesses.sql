-- Reconcile, step 1b: which independent source each observation speaks for, and its document's
-- as-of. A row that copies another source (precedence.yaml `derived`, registered as _derived)
-- has `copy_of` set; its `witness` is the source it copies, so a statement repeated by a copy
-- is counted once. Later steps count witnesses, not rows.
ALTER TABLE _obs ADD COLUMN copy_of VARCHAR;
ALTER TABLE _obs ADD COLUMN witness VARCHAR;
ALTER TABLE _obs ADD COLUMN as_of VARCHAR;

UPDATE _obs SET copy_of = d.copies
FROM _derived d
WHERE d.source = _obs.source AND d.provider IS NOT DISTINCT FROM _obs.source_provider_id
  AND (d.field IS NULL OR d.field = _obs.field);

UPDATE _obs SET as_of = d.as_of
FROM current_documents d
WHERE d.source = _obs.source AND d.url = _obs.url AND d.sha256 = _obs.document_sha256;

UPDATE _obs SET witness = coalesce(copy_of, source);
