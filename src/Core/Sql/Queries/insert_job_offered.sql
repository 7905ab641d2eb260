-- Inserts one job without a unique key and, when a live worker offers free slots of its queue (direct hand-off,
-- see HandOff/ and docs/decisions.md), hands it to that worker in the same transaction: one slot is taken (the
-- last one deletes the offer), the job is written leased to the worker (running, attempt 1, handed_off), and
-- it is sent on the worker's channel as a JSON array of the leased job's columns (Storage/LeasedJobRow.cs) without
-- unique_key, followed by the offer's generation: the order HandOffReceiver.Parse reads. With no live offer, or a
-- paused queue, the job is written as insert_job.sql writes it, and notify_offered.sql wakes the queue.
-- An offer is live while its worker's listening connection holds the advisory lock: a producer that can take
-- the lock itself has found a dead offer and skips it (and holds the shared lock until commit, harmless).
-- Of the live offers, the one that gave a job longest ago (or never) gets it, so single jobs spread over idle workers.
-- The offer's row stays locked until the commit: concurrent producers skip it rather than wait.
-- Returns whether the job was handed.
-- @id … @trace_context as in insert_job.sql, without @unique_key and @unique_states (a handed job has no unique key).
WITH live AS (
    SELECT s.queue, s.worker_id, s.channel, s.slots, s.generation FROM {{schema}}.slot_offers s
    WHERE s.queue = @queue AND @state::{{schema}}.job_state = 'available' AND @scheduled_at::timestamptz IS NULL
      AND NOT EXISTS (SELECT 1 FROM {{schema}}.queues q WHERE q.name = @queue AND q.paused_at IS NOT NULL)
      AND NOT pg_try_advisory_xact_lock_shared(s.lock_key)
    ORDER BY s.taken_at NULLS FIRST
    LIMIT 1
    FOR UPDATE SKIP LOCKED
), last_slot AS (
    -- The locked offer's key as a value: joined to the CTE instead, the plan scanned every offer of every queue.
    DELETE FROM {{schema}}.slot_offers o
    WHERE o.queue = @queue AND o.worker_id = (SELECT live.worker_id FROM live WHERE live.slots <= 1)
), other_slot AS (
    UPDATE {{schema}}.slot_offers o SET slots = o.slots - 1, taken_at = clock_timestamp()
    WHERE o.queue = @queue AND o.worker_id = (SELECT live.worker_id FROM live WHERE live.slots > 1)
), ctx AS (
    SELECT live.worker_id AS worker, live.channel, live.generation, clock_timestamp() AS at
    FROM (SELECT 1) one LEFT JOIN live ON true
), ins AS (
    INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                                 tags, tenant_id, timeout_ms, trace_context, attempt, attempted_at, attempted_by,
                                 handed_off, created_at)
    SELECT @id, @queue, @kind, @args::jsonb,
           CASE WHEN ctx.worker IS NULL THEN @state::{{schema}}.job_state ELSE 'running' END,
           @priority, @max_attempts, coalesce(@scheduled_at, ctx.at), @tags, @tenant_id, @timeout_ms, @trace_context,
           CASE WHEN ctx.worker IS NULL THEN 0 ELSE 1 END,
           CASE WHEN ctx.worker IS NULL THEN NULL ELSE ctx.at END,
           ctx.worker,
           ctx.worker IS NOT NULL,
           ctx.at
    FROM ctx
    RETURNING id, queue, kind, args, priority, attempt, max_attempts, scheduled_at, created_at, attempted_at,
              tags, tenant_id, timeout_ms, trace_context, attempted_by
)
SELECT ins.attempted_by IS NOT NULL AS handed
FROM ins CROSS JOIN ctx
LEFT JOIN LATERAL (
    SELECT pg_notify(ctx.channel, json_build_array(ins.id, ins.queue, ins.kind, ins.args, ins.priority, ins.attempt,
        ins.max_attempts, ins.scheduled_at, ins.created_at, ins.attempted_at, ins.tags, ins.tenant_id,
        ins.timeout_ms, ins.trace_context, ctx.generation)::text)
    WHERE ins.attempted_by IS NOT NULL
) n ON true;
