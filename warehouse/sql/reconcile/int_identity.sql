-- Reconcile, step 5: providers and model_aliases, rebuilt from this run's identity resolution.
DELETE FROM providers;
INSERT INTO providers BY NAME SELECT provider_id, name, url, kind FROM _providers;

DELETE FROM model_aliases;
INSERT INTO model_aliases BY NAME
SELECT source, source_id, model_id, method, provider_id, rule, variant,
       CASE WHEN len(candidates) > 0 THEN candidates END AS candidates, alias_kind
FROM _resolution;

DELETE FROM model_families;
INSERT INTO model_families BY NAME SELECT * FROM _model_families;
