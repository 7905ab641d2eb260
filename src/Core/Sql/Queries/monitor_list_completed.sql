-- Completed jobs, latest first, a page by offset. Most are in jobs_archive (jobs_archive_finalized backwards);
-- those whose unique key covers completed stay in jobs_live (jobs_finalized). Each side is cut at offset + count
-- before the two are merged.
-- $1 offset, $2 count.
SELECT * FROM (
    (SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
     FROM {{schema}}.jobs_archive
     ORDER BY finalized_at DESC
     LIMIT $1 + $2)
    UNION ALL
    (SELECT id, queue, kind, args::text, state::text, priority, attempt, max_attempts, scheduled_at, attempted_at,
       attempted_by, errors::text, unique_key, tags, tenant_id, timeout_ms, created_at, finalized_at,
       cancel_requested_at
     FROM {{schema}}.jobs_live
     WHERE finalized_at IS NOT NULL AND state = 'completed'
     ORDER BY finalized_at DESC
     LIMIT $1 + $2)
) c
ORDER BY finalized_at DESC, id DESC
OFFSET $1 LIMIT $2;
