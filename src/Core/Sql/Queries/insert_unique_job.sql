-- Inserts one job with a unique key; when a job in a masked state holds the key, nothing is inserted (no row
-- returned). Due now means the database's clock at the insert (see insert_job.sql).
-- An immediately available job wakes idle workers of its queue through NOTIFY.
-- $1 id, $2 queue, $3 kind, $4 args, $5 state, $6 priority, $7 max_attempts, $8 scheduled_at,
-- $9 unique_key, $10 unique_states, $11 tags, $12 tenant_id, $13 timeout_ms, $14 trace_context, $15 notify channel (null: no wake-up)
WITH ins AS (
    INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                                 unique_key, unique_states, tags, tenant_id, timeout_ms, trace_context)
    VALUES ($1, $2, $3, $4::jsonb, $5::{{schema}}.job_state, $6, $7, coalesce($8, clock_timestamp()),
            $9, $10, $11, $12, $13, $14)
    ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND {{schema}}.state_in_mask(unique_states, state)
    DO NOTHING
    RETURNING id, state, queue
)
SELECT ins.id FROM ins
LEFT JOIN LATERAL (SELECT pg_notify($15, ins.queue) WHERE ins.state = 'available' AND $15::text IS NOT NULL) n ON true;
