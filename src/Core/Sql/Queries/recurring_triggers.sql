-- Trigger shapes for the scheduler: every schedule (@changed_only false, at start) or only those Quartz does not hold yet.
SELECT id, cron, time_zone, misfire, paused, removed, version
FROM {{schema}}.recurring_schedules
WHERE NOT @changed_only OR removed OR applied_version IS DISTINCT FROM version
ORDER BY id
