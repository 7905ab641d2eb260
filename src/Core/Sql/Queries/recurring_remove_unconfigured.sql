-- Marks configured schedules that configuration no longer names ($1: the configured ids) removed.
UPDATE {{schema}}.recurring_schedules
SET removed = true, version = version + 1, updated_at = now()
WHERE source = 'configuration' AND NOT removed AND id <> ALL($1)
RETURNING id
