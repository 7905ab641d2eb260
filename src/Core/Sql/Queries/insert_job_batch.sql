-- Inserts the jobs of concurrent EnqueueAsync calls (none with a unique key) in one statement and one commit.
-- Due now means the database's clock at the insert. @id … @trace_context are parallel arrays as in insert_jobs.sql
-- (@unique_key and @unique_states are all null here). The wake-up is a separate statement (notify_queues.sql) after
-- the commit: see GroupCommit.
INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                             tags, tenant_id, timeout_ms, trace_context)
SELECT u.id, u.queue, u.kind, u.args::jsonb, u.state::{{schema}}.job_state, u.priority, u.max_attempts,
       coalesce(u.scheduled_at, clock_timestamp()),
       coalesce((SELECT array_agg(t) FROM jsonb_array_elements_text(u.tags::jsonb) t), '{}'),
       u.tenant_id, u.timeout_ms, u.trace_context
FROM unnest(@id::uuid[], @queue::text[], @kind::text[], @args::text[], @state::text[], @priority::smallint[], @max_attempts::int[],
            @scheduled_at::timestamptz[], @unique_key::text[], @unique_states::smallint[], @tags::text[], @tenant_id::text[],
            @timeout_ms::int[], @trace_context::text[])
     AS u(id, queue, kind, args, state, priority, max_attempts, scheduled_at, unique_key, unique_states,
          tags, tenant_id, timeout_ms, trace_context);
