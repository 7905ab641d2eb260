-- Discarded or cancelled jobs (@state), latest first, a page of @count from @offset: jobs_finalized backwards.
SELECT {{job_columns}}
FROM {{schema}}.jobs_live
WHERE finalized_at IS NOT NULL AND state = @state::{{schema}}.job_state
ORDER BY finalized_at DESC, id DESC
OFFSET @offset LIMIT @count;
