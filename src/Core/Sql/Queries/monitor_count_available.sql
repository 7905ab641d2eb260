-- Available jobs of @queue: a range of jobs_fetch.
SELECT count(*) AS available FROM {{schema}}.jobs_live WHERE state = 'available' AND queue = @queue;
