-- Deletes up to @batch_size jobs of jobs_live in final state @state that were finalized more than @retention_ms
-- ago: discarded and cancelled jobs, and completed jobs that keep their unique key (prune_archive.sql prunes the
-- others).
WITH doomed AS (
    SELECT id FROM {{schema}}.jobs_live
    WHERE state = @state::{{schema}}.job_state AND finalized_at < now() - @retention_ms * interval '1 millisecond'
    LIMIT @batch_size
)
DELETE FROM {{schema}}.jobs_live j USING doomed WHERE j.id = doomed.id;
