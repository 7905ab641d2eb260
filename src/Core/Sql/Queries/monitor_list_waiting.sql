-- Scheduled or retryable jobs ($1), soonest due first, a page by offset: jobs_due in order.
-- $1 state, $2 offset, $3 count.
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs_live
WHERE state IN ('scheduled', 'retryable') AND state = $1::{{schema}}.job_state
ORDER BY scheduled_at, id
OFFSET $2 LIMIT $3;
