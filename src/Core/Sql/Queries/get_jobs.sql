-- Several jobs by id, in no particular order; ids that match no job are absent.
SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
FROM {{schema}}.jobs WHERE id = ANY($1);
