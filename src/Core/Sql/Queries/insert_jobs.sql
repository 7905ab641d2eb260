-- Inserts many jobs from parallel arrays in one statement; duplicates of a unique key are skipped.
-- Returns the ids inserted. The caller notifies each queue once afterwards (notify_queues.sql).
-- @id … @trace_context: one array per column of insert_job.sql, one element per job, tags as JSON arrays (arrays of
-- arrays cannot be jagged); see Storage/JobInsertRow.cs.
INSERT INTO {{schema}}.jobs_live (id, queue, kind, args, state, priority, max_attempts, scheduled_at,
                             unique_key, unique_states, tags, tenant_id, timeout_ms, trace_context)
SELECT u.id, u.queue, u.kind, u.args::jsonb, u.state::{{schema}}.job_state, u.priority, u.max_attempts,
       coalesce(u.scheduled_at, clock_timestamp()), u.unique_key, u.unique_states,
       coalesce((SELECT array_agg(t) FROM jsonb_array_elements_text(u.tags::jsonb) t), '{}'),
       u.tenant_id, u.timeout_ms, u.trace_context
FROM unnest(@id::uuid[], @queue::text[], @kind::text[], @args::text[], @state::text[], @priority::smallint[], @max_attempts::int[],
            @scheduled_at::timestamptz[], @unique_key::text[], @unique_states::smallint[], @tags::text[], @tenant_id::text[],
            @timeout_ms::int[], @trace_context::text[])
     AS u(id, queue, kind, args, state, priority, max_attempts, scheduled_at, unique_key, unique_states,
          tags, tenant_id, timeout_ms, trace_context)
ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND {{schema}}.state_in_mask(unique_states, state)
DO NOTHING
RETURNING id;
