-- The figures every dashboard page and its 2-second polling show: jobs per unfinished or failed state (through
-- the partial indexes, live_state_counts), queues known, live workers, schedules. Completed jobs are counted from
-- stats_minute by the caller, never over the archive.
-- $1 how recent a heartbeat must be for a live worker, in ms.
SELECT c.available, c.scheduled, c.retryable, c.running, c.discarded, c.cancelled,
       (SELECT count(*) FROM {{schema}}.workers WHERE heartbeat_at > now() - $1 * interval '1 millisecond'),
       (SELECT count(*) FROM {{schema}}.recurring_schedules WHERE NOT removed)
FROM {{schema}}.live_state_counts() c;
