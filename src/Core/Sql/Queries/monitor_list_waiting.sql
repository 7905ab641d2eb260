-- Scheduled or retryable jobs (@state), soonest due first, a page of @count from @offset: jobs_due in order.
SELECT {{job_columns}}
FROM {{schema}}.jobs_live
WHERE state IN ('scheduled', 'retryable') AND state = @state::{{schema}}.job_state
ORDER BY scheduled_at, id
OFFSET @offset LIMIT @count;
