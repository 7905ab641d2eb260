-- Leases up to $2 available jobs of queue $1 for worker $3 in one statement: highest priority
-- (lowest number) first, then oldest. SKIP LOCKED lets many workers fetch concurrently without waiting;
-- FOR NO KEY UPDATE does not block inserts referencing the row. A paused queue yields nothing.
WITH locked AS (
    SELECT id FROM {{schema}}.jobs
    WHERE state = 'available' AND queue = $1
      AND NOT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = $1 AND q.paused_at IS NOT NULL)
    ORDER BY priority, scheduled_at, id
    LIMIT $2
    FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE {{schema}}.jobs j
SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = $3
FROM locked
WHERE j.id = locked.id
RETURNING j.id, j.queue, j.kind, j.args::text, j.priority, j.attempt, j.max_attempts, j.scheduled_at,
          j.created_at, j.attempted_at, j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key;
