-- Records the outcome of many finished attempts in one statement and adds them to the per-minute stats.
-- A row is only touched while it is still the same running attempt of this worker, so a late outcome
-- for a job that was rescued and leased again cannot overwrite the newer attempt.
-- Parallel arrays, one element per outcome: @ids, @attempts, @states (the new state), @delays_ms (until scheduled_at;
-- null keeps it), @errors (error objects; null adds none), @refunds (attempts to give back: 1 for snooze and shutdown
-- release); @worker the worker id; @synchronous_commit 'off' to commit without waiting for the WAL flush
-- (JobEngineOptions.AsyncCommit; null keeps the session's).
-- The statement lives in complete_jobs (Sql/Functions/complete_jobs.sql) so that its plan cannot degrade with statistics.
SELECT set_config('synchronous_commit', coalesce(@synchronous_commit, current_setting('synchronous_commit')), true) AS commit_mode,
       {{schema}}.complete_jobs(@ids::uuid[], @attempts::int[], @states::text[], @delays_ms::bigint[], @errors::jsonb[],
                                @refunds::int[], @worker) AS completed;
