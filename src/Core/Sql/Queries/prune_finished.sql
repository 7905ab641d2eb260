-- Deletes up to $3 jobs of jobs_live in final state $1 that were finalized more than $2 ms ago: discarded and
-- cancelled jobs, and completed jobs that keep their unique key (prune_archive.sql prunes the others).
WITH doomed AS (
    SELECT id FROM {{schema}}.jobs_live
    WHERE state = $1::{{schema}}.job_state AND finalized_at < now() - $2 * interval '1 millisecond'
    LIMIT $3
)
DELETE FROM {{schema}}.jobs_live j USING doomed WHERE j.id = doomed.id;
