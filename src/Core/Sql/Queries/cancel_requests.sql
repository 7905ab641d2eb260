-- Running jobs of worker @worker that an operator asked to cancel (fallback for a lost NOTIFY).
SELECT id FROM {{schema}}.jobs_live
WHERE state = 'running' AND attempted_by = @worker AND cancel_requested_at IS NOT NULL;
