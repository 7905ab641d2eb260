-- The figures every dashboard page and its 2-second polling show: jobs per unfinished or failed state (through
-- the partial indexes, live_state_counts), the queues that have available jobs (available_queues), are configured
-- in queues or served by a live worker, live workers and schedules. Completed jobs are counted from stats_minute by
-- the caller, never over the archive.
-- @live_window_ms how recent a heartbeat must be for a live worker.
WITH live AS (
    SELECT queues FROM {{schema}}.workers WHERE heartbeat_at > now() - @live_window_ms * interval '1 millisecond'
)
SELECT c.available, c.scheduled, c.retryable, c.running, c.discarded, c.cancelled,
       (SELECT count(*) FROM live) AS live_workers,
       (SELECT count(*) FROM {{schema}}.recurring_schedules WHERE NOT removed) AS schedules,
       (SELECT count(*) FROM (SELECT q FROM {{schema}}.available_queues() q
                              UNION SELECT name FROM {{schema}}.queues
                              UNION SELECT unnest(queues) FROM live) q) AS queues
FROM {{schema}}.live_state_counts() c;
