-- Jobs handed to worker @worker whose notification never arrived (@ids, from the heartbeat), if they still run there,
-- with the columns fetch_jobs.sql returns.
SELECT {{leased_columns}}
FROM {{schema}}.jobs_live
WHERE id = ANY(@ids) AND state = 'running' AND attempted_by = @worker AND handed_off;
