-- A fire's first step: schedule @id, locked so concurrent fires of it queue up, with the state of the
-- job its previous fire enqueued (null when none or already pruned).
SELECT s.kind, s.args::text AS args, s.queue, s.priority, s.skip_if_running, s.paused, s.last_job_id,
       j.state::text AS last_job_state
FROM {{schema}}.recurring_schedules s
LEFT JOIN {{schema}}.jobs j ON j.id = s.last_job_id
WHERE s.id = @id AND NOT s.removed
FOR UPDATE OF s
