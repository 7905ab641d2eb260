-- Quartz now holds version @version of schedule @id's trigger.
UPDATE {{schema}}.recurring_schedules SET applied_version = @version WHERE id = @id AND NOT removed
