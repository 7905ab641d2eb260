-- Moves up to $1 scheduled or retryable jobs whose time has come to available; returns their queues
-- so the leader can wake their workers.
WITH due AS (
    SELECT id FROM {{schema}}.jobs
    WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
    ORDER BY scheduled_at
    LIMIT $1
    FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE {{schema}}.jobs j SET state = 'available'
FROM due WHERE j.id = due.id
RETURNING j.queue;
