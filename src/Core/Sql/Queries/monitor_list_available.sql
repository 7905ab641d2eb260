-- Available jobs of one queue in fetch order (priority, then when due), a page by offset: jobs_fetch in order.
-- $1 queue, $2 offset, $3 count.
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs_live
WHERE state = 'available' AND queue = $1
ORDER BY priority, scheduled_at, id
OFFSET $2 LIMIT $3;
