-- What operators' tools (the dashboard, jobctl) need from the schema: each worker's slots per queue, an audit
-- log of operator actions, the key ring the dashboard's replicas share, and one function that counts the jobs of
-- every unfinished or failed state through the partial indexes, never by reading the whole table.

-- Slots per queue, in the order of queues (the heartbeat writes both). Null for workers started before 0011.
ALTER TABLE {{schema}}.workers ADD COLUMN concurrency integer[];

-- One row per operator action: who, what, on which jobs (or how many, and the filter), when, from where.
-- Written by the dashboard and jobctl; never updated.
CREATE TABLE {{schema}}.audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    role        text,
    action      text        NOT NULL,
    target      text,
    job_ids     uuid[]      NOT NULL DEFAULT '{}',
    job_count   integer     NOT NULL DEFAULT 0,
    outcome     text,
    source      text,
    CONSTRAINT audit_log_actor_length CHECK (char_length(actor) BETWEEN 1 AND 200),
    CONSTRAINT audit_log_action_length CHECK (char_length(action) BETWEEN 1 AND 64),
    CONSTRAINT audit_log_job_count_positive CHECK (job_count >= 0)
);

-- The keys that sign and encrypt the dashboard's cookies (ASP.NET Core data protection), one XML element each,
-- shared by every dashboard replica so that a session and its antiforgery tokens work on all of them.
CREATE TABLE {{schema}}.dashboard_keys (
    name        text        PRIMARY KEY,
    xml         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The queues that have available jobs, found by skipping through jobs_fetch (one index probe per queue) rather
-- than by grouping every available row.
CREATE FUNCTION {{schema}}.available_queues()
RETURNS SETOF text
LANGUAGE sql STABLE
SET jit = off
AS $$
    WITH RECURSIVE q AS (
        (SELECT queue FROM {{schema}}.jobs_live WHERE state = 'available' ORDER BY queue LIMIT 1)
        UNION ALL
        SELECT (SELECT j.queue FROM {{schema}}.jobs_live j WHERE j.state = 'available' AND j.queue > q.queue ORDER BY j.queue LIMIT 1)
        FROM q WHERE q.queue IS NOT NULL
    )
    SELECT queue FROM q WHERE queue IS NOT NULL
$$;

-- Jobs per state, for the dashboard's menu counters and its 2-second statistics polling. Each count is an index
-- range: available over jobs_fetch, scheduled and retryable over jobs_due, running over jobs_running, discarded
-- and cancelled over jobs_finalized. Sequential scans are off because a table holding nothing but a backlog
-- makes one look cheaper than the index, and an open tab polls this every two seconds. Completed jobs are not
-- counted here (the archive can hold millions): readers take them from stats_minute.
CREATE FUNCTION {{schema}}.live_state_counts()
RETURNS TABLE (available bigint, scheduled bigint, retryable bigint, running bigint, discarded bigint, cancelled bigint)
LANGUAGE sql STABLE
SET enable_seqscan = off
SET jit = off
AS $$
    SELECT (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'available'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'scheduled'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'retryable'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'running'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'discarded' AND finalized_at IS NOT NULL),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'cancelled' AND finalized_at IS NOT NULL)
$$;

-- The Backlog page's queues (monitor_queues.sql). A function so that its settings hold: JIT off (the per-queue
-- counts' estimates pass jit_above_cost, and compiling took three quarters of each call) and a plan per call.
CREATE FUNCTION {{schema}}.dashboard_queues(p_live_ms bigint)
RETURNS TABLE (queue_name text, available bigint, running bigint, scheduled bigint, retryable bigint,
               oldest_due_at timestamptz, paused_at timestamptz, live_workers bigint, slots bigint, read_at timestamptz)
LANGUAGE plpgsql STABLE
SET jit = off
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH waiting AS (
        SELECT queue, count(*) FILTER (WHERE state = 'scheduled') AS scheduled,
               count(*) FILTER (WHERE state = 'retryable') AS retryable
        FROM {{schema}}.jobs_live WHERE state IN ('scheduled', 'retryable') GROUP BY queue
    ), running AS (
        SELECT queue, count(*) AS running FROM {{schema}}.jobs_live WHERE state = 'running' GROUP BY queue
    ), live AS (
        SELECT w.id, s.queue, s.slots
        FROM {{schema}}.workers w
        CROSS JOIN LATERAL unnest(w.queues, w.concurrency) AS s(queue, slots)
        WHERE w.heartbeat_at > now() - p_live_ms * interval '1 millisecond'
    ), serving AS (
        SELECT queue, count(DISTINCT id) AS workers, sum(slots) AS slots FROM live GROUP BY queue
    ), names AS (
        SELECT q AS name FROM {{schema}}.available_queues() q
        UNION SELECT queue FROM waiting
        UNION SELECT queue FROM running
        UNION SELECT name FROM {{schema}}.queues
        UNION SELECT queue FROM live
        UNION SELECT DISTINCT queue FROM {{schema}}.stats_minute WHERE minute >= now() - interval '1 hour'
    )
    SELECT n.name,
           (SELECT count(*) FROM {{schema}}.jobs_live j WHERE j.state = 'available' AND j.queue = n.name),
           coalesce(r.running, 0), coalesce(w.scheduled, 0), coalesce(w.retryable, 0),
           (SELECT min(o.scheduled_at) FROM generate_series(0, 9) p(priority)
            CROSS JOIN LATERAL (SELECT j.scheduled_at FROM {{schema}}.jobs_live j
                                WHERE j.state = 'available' AND j.queue = n.name AND j.priority = p.priority
                                ORDER BY j.scheduled_at LIMIT 1) o),
           q.paused_at,
           coalesce(s.workers, 0), coalesce(s.slots, 0),
           now()
    FROM names n
    LEFT JOIN waiting w ON w.queue = n.name
    LEFT JOIN running r ON r.queue = n.name
    LEFT JOIN serving s ON s.queue = n.name
    LEFT JOIN {{schema}}.queues q ON q.name = n.name
    ORDER BY n.name;
END
$$;

-- Outcomes in buckets of p_bucket (monitor_outcomes.sql). Planned for each call's range: a generic plan guessed a
-- few hundred rows for a week of minutes and sorted 46,000 on disk.
CREATE FUNCTION {{schema}}.dashboard_outcomes(p_from timestamptz, p_to timestamptz, p_bucket interval)
RETURNS TABLE (bucket timestamptz, completed bigint, failed bigint, discarded bigint, cancelled bigint, run_ms bigint)
LANGUAGE plpgsql STABLE
SET jit = off
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT date_bin(p_bucket, s.minute, p_from), sum(s.completed)::bigint, sum(s.failed)::bigint, sum(s.discarded)::bigint,
           sum(s.cancelled)::bigint, sum(s.run_ms_sum)::bigint
    FROM {{schema}}.stats_minute s
    WHERE s.minute >= p_from AND s.minute < p_to
    GROUP BY 1
    ORDER BY 1;
END
$$;
