-- Running jobs, longest running first, a page by offset. There are at most as many as the workers' slots.
-- $1 offset, $2 count.
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs_live
WHERE state = 'running'
ORDER BY attempted_at, id
OFFSET $1 LIMIT $2;
