-- Deletes up to $2 archived (completed) jobs that were finalized more than $1 ms ago, found through
-- jobs_archive_finalized.
WITH doomed AS (
    SELECT id FROM {{schema}}.jobs_archive
    WHERE finalized_at < now() - $1 * interval '1 millisecond'
    LIMIT $2
)
DELETE FROM {{schema}}.jobs_archive j USING doomed WHERE j.id = doomed.id;
