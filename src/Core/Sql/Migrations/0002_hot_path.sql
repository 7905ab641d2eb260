-- The hot path: leasing and recording outcomes as functions whose planner settings cannot be
-- overruled by statistics. PL/pgSQL rather than SQL functions, because PL/pgSQL keeps each statement's plan
-- for the session (a SQL function's body was planned anew on every call), and with plan_cache_mode forced to
-- the generic plan: the plan cache otherwise judged the generic plan of an unknown LIMIT too costly and made
-- a custom plan on every call (a one-job lease took 0.6 ms, its statement 0.18 ms). The settings below pin
-- the shape of the generic plan.
--
-- The fetch must walk jobs_fetch in index order and stop after the limit. With stale statistics (a table
-- that was mostly finished jobs and suddenly holds a backlog, or a bulk load not yet analyzed) the planner
-- estimates a handful of available rows and prefers a bitmap scan of every available job plus a sort, on
-- every fetch: measured at 70-95 ms per fetch of 500 jobs from a 300k backlog instead of 10 ms. And since
-- the limit is a parameter here, the planner assumes a tenth of the table is leased and hash-joins the
-- leased ids against every row (260 ms per fetch of 1000). Sorts, bitmap and sequential scans, hash and
-- merge joins are switched off for this function's body only, so the plan is the ordered index scan and one
-- primary-key probe per leased job whatever the statistics say.
--
-- The scan starts after (p_after_priority, p_after_scheduled_at, p_after_id), a cursor the worker keeps: the
-- head of jobs_fetch holds the dead entries of every job leased since the last vacuum, and walking them cost
-- 25 ms per fetch after a million-job drain. The row comparison is an index bound, so the scan starts past
-- them. (-1, '-infinity', nil) scans from the head, which the worker does regularly (see QueueProcessor).
CREATE FUNCTION {{schema}}.lease_jobs(p_queue text, p_limit integer, p_worker text,
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
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH locked AS (
        SELECT j.id FROM {{schema}}.jobs j
        WHERE j.state = 'available' AND j.queue = p_queue
          AND (j.priority, j.scheduled_at, j.id) > (p_after_priority, p_after_scheduled_at, p_after_id)
          AND NOT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = p_queue AND q.paused_at IS NOT NULL)
        ORDER BY j.priority, j.scheduled_at, j.id
        LIMIT p_limit
        FOR NO KEY UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE {{schema}}.jobs j
        SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = p_worker
        FROM locked
        WHERE j.id = locked.id
        RETURNING j.id, j.queue, j.kind, j.args::text, j.priority, j.attempt, j.max_attempts, j.scheduled_at,
                  j.created_at, j.attempted_at, j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key
    )
    SELECT * FROM leased;
END
$$;

-- Outcomes must be found by primary key, without estimates deciding how. Left to the planner, a batch was
-- joined by scanning every jobs_running entry of the worker (dead ones included, so it grew through a run),
-- and with its guards written so that no index serves them, by walking the whole primary key once per
-- outcome (4 s per batch of 1000, from an estimate of one matching row). So the rows are restricted by
-- id = ANY(p_ids), one primary-key probe per id, and the only join allowed is a hash join of two sides no
-- larger than the batch. Arguments are parallel arrays, one element per outcome; see complete_jobs.sql.
CREATE FUNCTION {{schema}}.complete_jobs(p_ids uuid[], p_attempts integer[], p_states text[], p_delays_ms bigint[],
                                         p_errors jsonb[], p_refunds integer[], p_worker text)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET enable_nestloop = off
SET enable_mergejoin = off
SET enable_bitmapscan = off
SET enable_seqscan = off
SET plan_cache_mode = force_generic_plan
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
            errors = CASE WHEN input.error IS NULL THEN j.errors ELSE j.errors || jsonb_build_array(input.error) END
        FROM input
        -- Only the primary key may find the rows: the guard is written with IS NOT DISTINCT FROM (the same
        -- as = for these non-null values) so that no other index, such as jobs_running, can serve it.
        WHERE j.id = ANY(p_ids)
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

-- jobs_kind was the only index without a predicate, so every lease and every outcome (two new row versions
-- per job) added an entry to it: dropping it raised the raw lease-and-complete rate by 15-30 %. Listings
-- order by id instead (UUIDv7, made at creation), walking the primary key backwards.
DROP INDEX {{schema}}.jobs_kind;
