-- Records the outcome of many finished attempts in one statement and adds them to the per-minute stats.
-- A row is only touched while it is still the same running attempt of this worker, so a late outcome
-- for a job that was rescued and leased again cannot overwrite the newer attempt.
-- $1 ids, $2 attempts, $3 new states, $4 delay ms until scheduled_at (null keeps it), $5 error objects
-- (null adds none), $6 attempts to give back (1 for snooze and shutdown release), $7 worker id.
WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::jsonb[], $6::int[])
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
    WHERE j.id = input.id AND j.state = 'running' AND j.attempt = input.attempt AND j.attempted_by = $7
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
