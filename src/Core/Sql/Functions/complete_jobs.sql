-- {{schema}}.complete_jobs as the migrations leave it (last defined in migration 0006). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- Records a batch of attempt outcomes (parallel arrays, one element per outcome; see complete_jobs.sql): the new
-- state, the attempt refunded when released or snoozed, the next due time, the error appended, the finish time,
-- and a completed job moved to the archive partition unless its unique key covers the completed state. Only an
-- outcome of the job's current attempt on this worker applies. Per-minute statistics are counted in the same
-- statement.
-- The rows are found by primary key only (id = ANY(p_ids), guards written so no other index can serve them),
-- and the only join allowed is a hash join of two sides no larger than the batch: left to estimates, a batch was
-- joined by scanning the worker's jobs_running entries or the whole primary key. JIT is off, as for lease_jobs.
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
