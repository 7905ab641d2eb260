-- Stored schedules, all or one ($1 null for all); removed ones are gone as far as readers are concerned.
SELECT id, cron, time_zone, kind, args::text, queue, priority, misfire, skip_if_running, paused, source,
       applied_version IS NOT DISTINCT FROM version AS applied, last_fire_at, last_job_id, last_outcome, updated_at,
       created_at
FROM {{schema}}.recurring_schedules
WHERE NOT removed AND ($1::text IS NULL OR id = $1)
ORDER BY id
