-- Running jobs whose worker stopped heartbeating more than @lost_after_ms ago (or never registered) go back to
-- available at once, with an error entry naming the lost worker; a job that has used its last attempt is
-- discarded instead. Up to @batch_size jobs per call; @rescuer is the rescuing worker. Returns the queues touched.
WITH lost AS (
    SELECT j.id FROM {{schema}}.jobs_live j
    WHERE j.state = 'running'
      AND NOT EXISTS (SELECT 1 FROM {{schema}}.workers w
                      WHERE w.id = j.attempted_by AND w.heartbeat_at > now() - @lost_after_ms * interval '1 millisecond')
    LIMIT @batch_size
    FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE {{schema}}.jobs_live j
SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded'::{{schema}}.job_state ELSE 'available' END,
    finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
    scheduled_at = now(),
    errors = j.errors || jsonb_build_array(jsonb_build_object(
        'attempt', j.attempt, 'at', now(), 'worker', j.attempted_by, 'type', 'JobPlatform.WorkerLost',
        'message', format('worker %s stopped heartbeating while running this attempt; rescued by %s',
                          j.attempted_by, @rescuer::text)))
FROM lost WHERE j.id = lost.id
RETURNING j.queue;
