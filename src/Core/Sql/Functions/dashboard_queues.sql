-- {{schema}}.dashboard_queues as the migrations leave it (last defined in migration 0011). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- The Backlog page's queues (monitor_queues.sql). A function so that its settings hold: JIT off (the per-queue
-- counts' estimates pass jit_above_cost, and compiling took three quarters of each call) and a plan per call.
CREATE OR REPLACE FUNCTION {{schema}}.dashboard_queues(p_live_ms bigint)
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
