-- Inserts one job already leased to worker $15 (attempt 1, running), for an engine in the enqueuing process
-- that has a free slot and nothing else waiting in the queue: the job starts there without a NOTIFY and a
-- lease round trip. A paused queue gets the job as plain 'available' instead (attempt 0, no worker), as any
-- other insert. Returns the state written and the times the engine needs.
-- $1-$14 as in insert_job.sql (the unique columns $9 and $10 are null here), $15 worker id.
-- Due and attempted at the same instant (the database's clock at the insert), so that its wait is 0, not negative.
WITH paused AS (
    SELECT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = $2 AND q.paused_at IS NOT NULL) AS yes,
           clock_timestamp() AS at
)
INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                             tags, tenant_id, timeout_ms, trace_context, attempt, attempted_at, attempted_by)
SELECT $1, $2, $3, $4::jsonb,
       CASE WHEN paused.yes THEN $5::{{schema}}.job_state ELSE 'running' END,
       $6, $7, coalesce($8, paused.at), $11, $12, $13, $14,
       CASE WHEN paused.yes THEN 0 ELSE 1 END,
       CASE WHEN paused.yes THEN NULL ELSE greatest(paused.at, coalesce($8, paused.at)) END,
       CASE WHEN paused.yes THEN NULL ELSE $15 END
FROM paused
RETURNING state::text, scheduled_at, created_at, attempted_at;
