-- Leases up to $2 available jobs of queue $1 for worker $3 in one statement: highest priority
-- (lowest number) first, then oldest, starting after the cursor ($4 priority, $5 scheduled_at, $6 id;
-- -1, -infinity, nil for the head). SKIP LOCKED lets many workers fetch concurrently without waiting;
-- FOR NO KEY UPDATE does not block inserts referencing the row. A paused queue yields nothing.
-- $7 'off' commits the lease without waiting for the WAL flush (JobEngineOptions.AsyncCommit); null keeps the
-- session's setting. The statement lives in lease_jobs (migration 0002) so that its plan cannot degrade with statistics.
SELECT id, queue, kind, args, priority, attempt, max_attempts, scheduled_at, created_at, attempted_at,
       tags, tenant_id, timeout_ms, trace_context, unique_key
FROM (SELECT set_config('synchronous_commit', coalesce($7, current_setting('synchronous_commit')), true)) commit_mode,
     {{schema}}.lease_jobs($1, $2, $3, $4, $5, $6);
