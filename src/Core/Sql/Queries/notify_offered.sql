-- Runs in its own transaction right after insert_job_offered.sql: wakes the queue on channel @channel unless job @id
-- was handed to a worker (which was told in the insert's transaction) or is already leased.
SELECT count(pg_notify(@channel, j.queue)) AS notified FROM {{schema}}.jobs_live j WHERE j.id = @id AND j.state = 'available';
