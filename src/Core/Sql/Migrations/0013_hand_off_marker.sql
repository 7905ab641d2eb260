-- A job leased at its insert by direct hand-off (insert_job_offered.sql) is marked handed_off, so that the
-- worker's heartbeat can tell the jobs handed to it from those it leased itself: a handed job that never
-- reached the worker (its notification was lost) is started by the heartbeat, and a leased one must never be.
-- The mark is cleared by every lease, so it always describes the job's latest attempt.
ALTER TABLE {{schema}}.jobs ADD COLUMN handed_off boolean NOT NULL DEFAULT false;

-- When a producer last took a slot of the offer: the offer that gave a job longest ago gets the next one, so
-- single jobs spread over idle workers instead of piling onto the offer that happens to come first.
ALTER TABLE {{schema}}.slot_offers ADD COLUMN taken_at timestamptz;

-- As in 0006_archive.sql, with the lease clearing the mark (CREATE OR REPLACE resets the settings, restated).
CREATE OR REPLACE FUNCTION {{schema}}.lease_jobs(p_queue text, p_limit integer, p_worker text,
                                      p_after_priority smallint, p_after_scheduled_at timestamptz, p_after_id uuid)
RETURNS TABLE (id uuid, queue text, kind text, args text, priority smallint, attempt integer,
               max_attempts integer, scheduled_at timestamptz, created_at timestamptz,
               attempted_at timestamptz, tags text[], tenant_id text, timeout_ms integer,
               trace_context text, unique_key text)
LANGUAGE plpgsql VOLATILE
SET enable_sort = off
SET enable_bitmapscan = off
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET plan_cache_mode = force_generic_plan
SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH locked AS (
        SELECT j.id FROM {{schema}}.jobs_live j
        WHERE j.state = 'available' AND j.queue = p_queue
          AND (j.priority, j.scheduled_at, j.id) > (p_after_priority, p_after_scheduled_at, p_after_id)
          AND NOT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = p_queue AND q.paused_at IS NOT NULL)
        ORDER BY j.priority, j.scheduled_at, j.id
        LIMIT p_limit
        FOR NO KEY UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE {{schema}}.jobs_live j
        SET state = 'running', attempt = j.attempt + 1, attempted_at = clock_timestamp(), attempted_by = p_worker,
            handed_off = false
        FROM locked
        WHERE j.id = locked.id
        RETURNING j.id, j.queue, j.kind, j.args::text, j.priority, j.attempt, j.max_attempts, j.scheduled_at,
                  j.created_at, j.attempted_at, j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key
    )
    SELECT * FROM leased;
END
$$;
