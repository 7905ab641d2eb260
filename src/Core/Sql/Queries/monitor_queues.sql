-- One row per queue an operator should see: every queue with available, running, scheduled or retryable jobs,
-- paused or configured in queues, served by a live worker, or with outcomes in the last hour. For each: its
-- waiting and running counts, when its oldest available job became due, whether it is paused, and the live
-- workers serving it with their slots. Available counts and ages are ranges of jobs_fetch (available_queues finds
-- the queues with one probe each); scheduled, retryable and running jobs are grouped from jobs_due and jobs_running.
-- The statement is the function dashboard_queues (migration 0011), for its settings.
-- @live_window_ms how recent a heartbeat must be for a live worker.
SELECT queue_name, available, running, scheduled, retryable, oldest_due_at, paused_at, live_workers, slots, read_at
FROM {{schema}}.dashboard_queues(@live_window_ms);
