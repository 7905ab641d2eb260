-- Completed jobs leave the hot table. jobs becomes a table partitioned on a new column, archived:
-- jobs_live (archived = false) holds every job that can still change, and jobs_archive (archived = true) the
-- completed ones, written once and then only read, retried or pruned. Recording a completion in place added a
-- new row version to the hot table; moving the row marks the old version deleted and appends it to a table of
-- its own. In the engine's drain of 500,000 jobs, PostgreSQL spent 7.1-7.5 s in complete_jobs against
-- 7.5-8.8 s in place (track_functions, same cluster, alternating runs); the work rate moved within noise, as
-- leasing is the longer stream. The hot table also stays the size of the backlog, however many completed jobs
-- are retained, so neither vacuum nor the pruner works through them there.
--
-- A completed job stays live when its unique key covers the completed state (it still holds the key, and
-- uniqueness is only enforced within a partition). Reads go through jobs and see both partitions; statements
-- that only concern unfinished jobs name jobs_live, so that they never plan a scan of the archive.
--
-- A row moved to another partition cannot be followed by a statement that was waiting for its lock:
-- PostgreSQL reports a serialization failure (40001), and the statements that can meet one (cancel, retry,
-- rescue, prune) are retried by their callers.

ALTER TABLE {{schema}}.jobs RENAME TO jobs_live;
ALTER TABLE {{schema}}.jobs_live ADD COLUMN archived boolean NOT NULL DEFAULT false;

-- The parent has no indexes of its own: a partitioned table's unique indexes must contain the partition key,
-- which would widen every primary-key entry of the hot table. Each partition keeps a primary key on id instead
-- (ids are UUIDv7 made by the client library, and a job is one row that moves between partitions, never a
-- copy), and the unique-key index stays on jobs_live, where every job that holds its key lives. jobs_live keeps
-- its indexes and their names.
CREATE TABLE {{schema}}.jobs (LIKE {{schema}}.jobs_live INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY LIST (archived);
ALTER TABLE {{schema}}.jobs ATTACH PARTITION {{schema}}.jobs_live FOR VALUES IN (false);

-- The CHECK lets the planner leave the archive out of any query that asks for an unfinished state.
CREATE TABLE {{schema}}.jobs_archive PARTITION OF {{schema}}.jobs (
    CONSTRAINT jobs_archive_pkey PRIMARY KEY (id),
    CONSTRAINT jobs_archive_completed CHECK (state = 'completed')
) FOR VALUES IN (true) WITH (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);
-- The pruner and the reports find archived jobs by when they finished. (A BRIN index cost the same per
-- completion, and would widen past use once pruned pages are filled again.)
CREATE INDEX jobs_archive_finalized ON {{schema}}.jobs_archive (finalized_at);

-- Completed jobs already recorded move now, once.
UPDATE {{schema}}.jobs SET archived = true
WHERE archived = false AND state = 'completed'
  AND NOT coalesce({{schema}}.state_in_mask(unique_states, state), false);

-- The lease only concerns available jobs: it names jobs_live. Otherwise as in 0004_lease_clock.sql, with every
-- setting of 0002 and 0005 restated (CREATE OR REPLACE resets them).
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
        SET state = 'running', attempt = j.attempt + 1, attempted_at = clock_timestamp(), attempted_by = p_worker
        FROM locked
        WHERE j.id = locked.id
        RETURNING j.id, j.queue, j.kind, j.args::text, j.priority, j.attempt, j.max_attempts, j.scheduled_at,
                  j.created_at, j.attempted_at, j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key
    )
    SELECT * FROM leased;
END
$$;

-- Outcomes update through jobs, so that a completion can move its row to the archive; archived = false in the
-- guard confines the plan to jobs_live. Otherwise as in 0002_hot_path.sql, with 0005's setting restated.
CREATE OR REPLACE FUNCTION {{schema}}.complete_jobs(p_ids uuid[], p_attempts integer[], p_states text[], p_delays_ms bigint[],
                                         p_errors jsonb[], p_refunds integer[], p_worker text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET enable_nestloop = off
SET enable_mergejoin = off
SET enable_bitmapscan = off
SET enable_seqscan = off
SET plan_cache_mode = force_generic_plan
SET jit = off
AS $$
BEGIN
    WITH input AS (
        SELECT * FROM unnest(p_ids, p_attempts, p_states, p_delays_ms, p_errors, p_refunds)
            AS u(id, attempt, state, delay_ms, error, refund)
    ), updated AS (
        UPDATE {{schema}}.jobs j
        SET state = input.state::{{schema}}.job_state,
            attempt = j.attempt - input.refund,
            scheduled_at = CASE WHEN input.delay_ms IS NULL THEN j.scheduled_at
                                ELSE now() + input.delay_ms * interval '1 millisecond' END,
            finalized_at = CASE WHEN input.state IN ('completed', 'discarded', 'cancelled') THEN now() END,
            errors = CASE WHEN input.error IS NULL THEN j.errors ELSE j.errors || jsonb_build_array(input.error) END,
            archived = input.state = 'completed'
                       AND NOT coalesce({{schema}}.state_in_mask(j.unique_states, 'completed'), false)
        FROM input
        -- Only the primary key may find the rows: the guard is written with IS NOT DISTINCT FROM (the same
        -- as = for these non-null values) so that no other index, such as jobs_running, can serve it.
        WHERE j.archived = false
          AND j.id = ANY(p_ids)
          AND j.id = input.id
          AND j.state IS NOT DISTINCT FROM 'running'
          AND j.attempt IS NOT DISTINCT FROM input.attempt
          AND j.attempted_by IS NOT DISTINCT FROM p_worker
        RETURNING j.queue, j.kind, input.state, input.refund, j.attempted_at
    )
    INSERT INTO {{schema}}.stats_minute AS s (minute, queue, kind, completed, failed, discarded, cancelled, snoozed, run_ms_sum)
    SELECT date_trunc('minute', now()), queue, kind,
           count(*) FILTER (WHERE state = 'completed'),
           count(*) FILTER (WHERE state = 'retryable'),
           count(*) FILTER (WHERE state = 'discarded'),
           count(*) FILTER (WHERE state = 'cancelled'),
           count(*) FILTER (WHERE state = 'scheduled' AND refund = 1),
           coalesce(sum((extract(epoch FROM now() - attempted_at) * 1000)::bigint), 0)
    FROM updated
    WHERE NOT (state = 'available' AND refund = 1)
    GROUP BY queue, kind
    ORDER BY queue, kind
    ON CONFLICT (minute, queue, kind) DO UPDATE
    SET completed = s.completed + EXCLUDED.completed,
        failed = s.failed + EXCLUDED.failed,
        discarded = s.discarded + EXCLUDED.discarded,
        cancelled = s.cancelled + EXCLUDED.cancelled,
        snoozed = s.snoozed + EXCLUDED.snoozed,
        run_ms_sum = s.run_ms_sum + EXCLUDED.run_ms_sum;
END
$$;
