-- Inserts the jobs of concurrent EnqueueAsync calls (none with a unique key) in one statement and one commit.
-- Due now means the database's clock at the insert. $1-$14 are parallel arrays as in insert_jobs.sql ($9 and
-- $10, the unique columns, are all null here). The wake-up is a separate statement (notify_queues.sql) after
-- the commit: see GroupCommit.
INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                             tags, tenant_id, timeout_ms, trace_context)
SELECT u.id, u.queue, u.kind, u.args::jsonb, u.state::{{schema}}.job_state, u.priority, u.max_attempts,
       coalesce(u.scheduled_at, clock_timestamp()),
       coalesce((SELECT array_agg(t) FROM jsonb_array_elements_text(u.tags::jsonb) t), '{}'),
       u.tenant_id, u.timeout_ms, u.trace_context
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::int[],
            $8::timestamptz[], $9::text[], $10::smallint[], $11::text[], $12::text[], $13::int[], $14::text[])
     AS u(id, queue, kind, args, state, priority, max_attempts, scheduled_at, unique_key, unique_states,
          tags, tenant_id, timeout_ms, trace_context);
