-- Deletes up to $3 jobs in final state $1 that were finalized more than $2 ms ago.
WITH doomed AS (
    SELECT id FROM {{schema}}.jobs
    WHERE state = $1::{{schema}}.job_state AND finalized_at < now() - $2 * interval '1 millisecond'
    LIMIT $3
)
DELETE FROM {{schema}}.jobs j USING doomed WHERE j.id = doomed.id;
