-- One row per queue an operator should see: every queue with available, running, scheduled or retryable jobs,
-- paused or configured in queues, served by a live worker, or with outcomes in the last hour. For each: its
-- waiting and running counts, when its oldest available job became due, whether it is paused, and the live
-- workers serving it with their slots. Available counts and ages are ranges of jobs_fetch (available_queues finds
-- the queues with one probe each); scheduled, retryable and running jobs are grouped from jobs_due and jobs_running.
-- $1 how recent a heartbeat must be for a live worker, in ms.
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
    WHERE w.heartbeat_at > now() - $1 * interval '1 millisecond'
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
