-- Available jobs of @queue in fetch order (priority, then when due), a page of @count from @offset: jobs_fetch in
-- order.
SELECT {{job_columns}}
FROM {{schema}}.jobs_live
WHERE state = 'available' AND queue = @queue
ORDER BY priority, scheduled_at, id
OFFSET @offset LIMIT @count;
