-- Marks schedules removed ($1: ids) for the scheduler to delete their triggers; returns the ids marked.
UPDATE {{schema}}.recurring_schedules
SET removed = true, version = version + 1, updated_at = now()
WHERE id = ANY($1) AND NOT removed
RETURNING id
