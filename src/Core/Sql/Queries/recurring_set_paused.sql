-- Pauses ($2 true) or resumes a schedule; the version moves only when the state does. No row: no such schedule.
UPDATE {{schema}}.recurring_schedules
SET version = version + (paused <> $2)::int, paused = $2, updated_at = CASE WHEN paused <> $2 THEN now() ELSE updated_at END
WHERE id = $1 AND NOT removed
RETURNING id
