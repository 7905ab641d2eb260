-- Quartz now holds version $2 of the schedule's trigger.
UPDATE {{schema}}.recurring_schedules SET applied_version = $2 WHERE id = $1 AND NOT removed
