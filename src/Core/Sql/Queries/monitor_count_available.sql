-- Available jobs of one queue: a range of jobs_fetch.
SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'available' AND queue = $1;
