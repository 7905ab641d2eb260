-- Records what a fire of schedule @id did: @fire_at its scheduled time, @job_id the job, @outcome the outcome.
UPDATE {{schema}}.recurring_schedules
SET last_fire_at = @fire_at, last_job_id = @job_id, last_outcome = @outcome
WHERE id = @id
