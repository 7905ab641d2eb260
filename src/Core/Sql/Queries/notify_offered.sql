-- Runs in its own transaction right after insert_job_offered.sql: wakes the queue on channel $1 unless job $2
-- was handed to a worker (which was told in the insert's transaction) or is already leased.
SELECT count(pg_notify($1, j.queue)) FROM {{schema}}.jobs_live j WHERE j.id = $2 AND j.state = 'available';
