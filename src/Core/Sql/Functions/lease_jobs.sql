-- {{schema}}.lease_jobs as the migrations leave it (last defined in migration 0013). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- Leases up to p_limit available jobs of a queue for worker p_worker, in fetch order (priority, scheduled_at,
-- id) after the cursor (p_after_*; -1, '-infinity', nil for the head), skipping locked rows, unless the queue is
-- paused. A lease starts the attempt: running, attempt + 1, attempted_at from the clock at the row's update (so a
-- job inserted after the statement began is never recorded as attempted before it was due), the worker, and no
-- hand-off mark (handed_off describes the latest attempt).
-- PL/pgSQL, so each statement's plan is kept for the session, with the generic plan forced and sorts, bitmap and
-- sequential scans, hash and merge joins switched off: whatever the statistics say (a table that suddenly holds
-- a backlog, a bulk load not yet analyzed), the plan is the ordered index scan of jobs_fetch from the cursor and
-- one primary-key probe per leased job. JIT is off: a generic plan cannot know the limit, and its cost estimate
-- would compile every call. The cursor starts the scan past the dead index entries of jobs leased before.
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
