-- Pauses (@paused true) or resumes schedule @id; the version moves only when the state does. No row: no such schedule.
UPDATE {{schema}}.recurring_schedules
SET version = version + (paused <> @paused)::int, paused = @paused,
    updated_at = CASE WHEN paused <> @paused THEN now() ELSE updated_at END
WHERE id = @id AND NOT removed
RETURNING id
