-- Leases up to $2 available jobs of queue $1 for worker $3 in one statement: highest priority
-- (lowest number) first, then oldest, starting after the cursor ($4 priority, $5 scheduled_at, $6 id;
-- -1, -infinity, nil for the head). SKIP LOCKED lets many workers fetch concurrently without waiting;
-- FOR NO KEY UPDATE does not block inserts referencing the row. A paused queue yields nothing.
-- $7 'off' commits the lease without waiting for the WAL flush (JobEngineOptions.AsyncCommit); null keeps the
-- session's setting. The statement lives in lease_jobs (migration 0002) so that its plan cannot degrade with statistics.
-- $8 true when this worker's queue has a slot offer out (migration 0008): the statement withdraws it, and if a
-- producer took it already (its job is on the way to this worker) leases one job fewer.
WITH withdrawn AS (
    DELETE FROM {{schema}}.slot_offers o WHERE $8 AND o.queue = $1 AND o.worker_id = $3 RETURNING 1
)
SELECT id, queue, kind, args, priority, attempt, max_attempts, scheduled_at, created_at, attempted_at,
       tags, tenant_id, timeout_ms, trace_context, unique_key
FROM (SELECT set_config('synchronous_commit', coalesce($7, current_setting('synchronous_commit')), true)) commit_mode,
     {{schema}}.lease_jobs($1, $2 - CASE WHEN $8 AND NOT EXISTS (SELECT 1 FROM withdrawn) THEN 1 ELSE 0 END, $3, $4, $5, $6);
