-- Jobs handed to worker $2 whose notification never arrived ($1 their ids, from the heartbeat), with the
-- columns fetch_jobs.sql returns, if they still run there.
SELECT id, queue, kind, args::text, priority, attempt, max_attempts, scheduled_at, created_at, attempted_at,
       tags, tenant_id, timeout_ms, trace_context, unique_key
FROM {{schema}}.jobs_live
WHERE id = ANY($1) AND state = 'running' AND attempted_by = $2 AND handed_off;
