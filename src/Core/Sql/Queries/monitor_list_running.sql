-- Running jobs, longest running first, a page of @count from @offset. There are at most as many as the workers'
-- slots.
SELECT {{job_columns}}
FROM {{schema}}.jobs_live
WHERE state = 'running'
ORDER BY attempted_at, id
OFFSET @offset LIMIT @count;
