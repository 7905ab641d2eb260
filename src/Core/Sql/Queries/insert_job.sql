-- Inserts one job without a unique key (insert_unique_job.sql has the other case: an ON CONFLICT clause here
-- would put every insert through speculative insertion, for jobs that cannot conflict). Due now means the
-- database's clock at the insert, not the transaction's start, so a job enqueued late in a long transaction
-- does not sort far behind the jobs workers are leasing.
-- An immediately available job wakes idle workers of its queue through NOTIFY on @notify_channel (null: no wake-up).
-- @id, @queue, @kind, @args, @state, @priority, @max_attempts, @scheduled_at (null: due now), @unique_key,
-- @unique_states, @tags, @tenant_id, @timeout_ms, @trace_context: the job's columns (Storage/JobInsertRow.cs).
WITH ins AS (
    INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                                 unique_key, unique_states, tags, tenant_id, timeout_ms, trace_context)
    VALUES (@id, @queue, @kind, @args::jsonb, @state::{{schema}}.job_state, @priority, @max_attempts, coalesce(@scheduled_at, clock_timestamp()),
            @unique_key, @unique_states, @tags, @tenant_id, @timeout_ms, @trace_context)
    RETURNING id, state, queue
)
SELECT ins.id FROM ins
LEFT JOIN LATERAL (SELECT pg_notify(@notify_channel, ins.queue) WHERE ins.state = 'available' AND @notify_channel::text IS NOT NULL) n ON true;
