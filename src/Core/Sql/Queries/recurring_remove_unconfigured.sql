-- Marks configured schedules that configuration no longer names (@configured: the configured ids) removed; returns
-- the ids marked.
UPDATE {{schema}}.recurring_schedules
SET removed = true, version = version + 1, updated_at = now()
WHERE source = 'configuration' AND NOT removed AND id <> ALL(@configured)
RETURNING id
