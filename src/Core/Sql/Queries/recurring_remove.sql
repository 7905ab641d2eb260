-- Marks schedules removed (@ids) for the scheduler to delete their triggers; returns the ids marked.
UPDATE {{schema}}.recurring_schedules
SET removed = true, version = version + 1, updated_at = now()
WHERE id = ANY(@ids) AND NOT removed
RETURNING id
