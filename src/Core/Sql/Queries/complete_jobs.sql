-- Records the outcome of many finished attempts in one statement and adds them to the per-minute stats.
-- A row is only touched while it is still the same running attempt of this worker, so a late outcome
-- for a job that was rescued and leased again cannot overwrite the newer attempt.
-- $1 ids, $2 attempts, $3 new states, $4 delay ms until scheduled_at (null keeps it), $5 error objects
-- (null adds none), $6 attempts to give back (1 for snooze and shutdown release), $7 worker id,
-- $8 'off' to commit without waiting for the WAL flush (JobEngineOptions.AsyncCommit; null keeps the session's).
-- The statement lives in complete_jobs (Sql/Functions/complete_jobs.sql) so that its plan cannot degrade with statistics.
SELECT set_config('synchronous_commit', coalesce($8, current_setting('synchronous_commit')), true),
       {{schema}}.complete_jobs($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::jsonb[], $6::int[], $7);
