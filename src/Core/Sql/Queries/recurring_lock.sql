-- A fire's first step: the schedule, locked so concurrent fires of it queue up, with the state of the
-- job its previous fire enqueued (null when none or already pruned).
SELECT s.kind, s.args::text, s.queue, s.priority, s.skip_if_running, s.paused, s.last_job_id, j.state::text
FROM {{schema}}.recurring_schedules s
LEFT JOIN {{schema}}.jobs j ON j.id = s.last_job_id
WHERE s.id = $1 AND NOT s.removed
FOR UPDATE OF s
