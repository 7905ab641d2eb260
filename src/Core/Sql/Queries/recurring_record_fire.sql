-- Records what a fire did: $2 its scheduled time, $3 the job, $4 the outcome.
UPDATE {{schema}}.recurring_schedules
SET last_fire_at = $2, last_job_id = $3, last_outcome = $4
WHERE id = $1
