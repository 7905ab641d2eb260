-- Deletes up to @batch_size archived (completed) jobs that were finalized more than @retention_ms ago, found
-- through jobs_archive_finalized.
WITH doomed AS (
    SELECT id FROM {{schema}}.jobs_archive
    WHERE finalized_at < now() - @retention_ms * interval '1 millisecond'
    LIMIT @batch_size
)
DELETE FROM {{schema}}.jobs_archive j USING doomed WHERE j.id = doomed.id;
