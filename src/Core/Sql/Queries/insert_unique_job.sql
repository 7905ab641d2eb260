-- Inserts one job with a unique key; when a job in a masked state holds the key, nothing is inserted (no row
-- returned). Due now means the database's clock at the insert (see insert_job.sql).
-- An immediately available job wakes idle workers of its queue through NOTIFY on @notify_channel (null: no wake-up).
-- @id … @trace_context: the job's columns, as in insert_job.sql.
WITH ins AS (
    INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                                 unique_key, unique_states, tags, tenant_id, timeout_ms, trace_context)
    VALUES (@id, @queue, @kind, @args::jsonb, @state::{{schema}}.job_state, @priority, @max_attempts, coalesce(@scheduled_at, clock_timestamp()),
            @unique_key, @unique_states, @tags, @tenant_id, @timeout_ms, @trace_context)
    ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND {{schema}}.state_in_mask(unique_states, state)
    DO NOTHING
    RETURNING id, state, queue
)
SELECT ins.id FROM ins
LEFT JOIN LATERAL (SELECT pg_notify(@notify_channel, ins.queue) WHERE ins.state = 'available' AND @notify_channel::text IS NOT NULL) n ON true;
