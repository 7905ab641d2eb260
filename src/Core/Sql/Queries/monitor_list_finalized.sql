-- Discarded or cancelled jobs ($1), latest first, a page by offset: jobs_finalized backwards.
-- $1 state, $2 offset, $3 count.
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs_live
WHERE finalized_at IS NOT NULL AND state = $1::{{schema}}.job_state
ORDER BY finalized_at DESC, id DESC
OFFSET $2 LIMIT $3;
