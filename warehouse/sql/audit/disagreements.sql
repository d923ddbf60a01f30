-- Audit: the disagreements `conflicts` holds (model fields, capabilities, route prices) on which
-- at least two independent sources speak: a row that copies another source counts as the source
-- it copies (candidates' copy_of), so a copy disagreeing with its own original is not listed.
WITH c AS (
    SELECT entity, field, candidates, chosen, chosen_source, reason
    FROM conflicts WHERE category = 'disagreement'),
w AS (
    SELECT entity, field, count(DISTINCT coalesce(u.c.copy_of, u.c.source)) AS witnesses
    FROM c, unnest(c.candidates) AS u(c)
    GROUP BY ALL)
SELECT c.entity, c.field, c.candidates, c.chosen, c.chosen_source, c.reason
FROM c JOIN w USING (entity, field)
WHERE w.witnesses > 1
ORDER BY c.entity, c.field;
