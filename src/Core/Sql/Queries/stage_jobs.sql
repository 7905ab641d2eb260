-- The leader's stager, once per PromoteInterval. Moves up to @batch_size due scheduled and retryable jobs to available,
-- then wakes every queue that has available jobs and a live worker serving it (heartbeat within @live_window_ms) with
-- the payload '*<queue>': the jobs may sort before a worker's fetch cursor (promoted jobs keep their
-- scheduled_at), so workers lease from the head. Waking queues that already have available jobs is also the
-- cover for lost notifications, which lets listening workers poll rarely themselves. Returns the number
-- promoted and the number of queues woken. @insert_channel is the channel that wakes workers.
WITH due AS (
    SELECT id FROM {{schema}}.jobs_live
    WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
    ORDER BY scheduled_at
    LIMIT @batch_size
    FOR NO KEY UPDATE SKIP LOCKED
), promoted AS (
    UPDATE {{schema}}.jobs_live j SET state = 'available'
    FROM due WHERE j.id = due.id
    RETURNING j.queue
), served AS (
    SELECT DISTINCT unnest(w.queues) AS queue FROM {{schema}}.workers w
    WHERE w.heartbeat_at > now() - @live_window_ms * interval '1 millisecond'
), waiting AS (
    SELECT s.queue FROM served s
    WHERE EXISTS (SELECT 1 FROM {{schema}}.jobs_live j WHERE j.state = 'available' AND j.queue = s.queue)
      AND NOT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = s.queue AND q.paused_at IS NOT NULL)
), wake AS (
    SELECT queue FROM promoted UNION SELECT queue FROM waiting
)
SELECT (SELECT count(*) FROM promoted) AS promoted, (SELECT count(pg_notify(@insert_channel, '*' || queue)) FROM wake) AS woken;
