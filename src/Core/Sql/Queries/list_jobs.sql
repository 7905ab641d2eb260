-- Newest first (ids are UUIDv7, made at creation: the primary key walked backwards); every filter is
-- optional (null matches all).
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs
WHERE ($1::text IS NULL OR kind = $1)
  AND ($2::text IS NULL OR state = $2::{{schema}}.job_state)
  AND ($3::text IS NULL OR queue = $3)
ORDER BY id DESC
LIMIT $4;
