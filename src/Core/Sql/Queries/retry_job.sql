-- Makes a finished or waiting job available now. An exhausted job gets one more attempt; an archived
-- (completed) job moves back to jobs_live.
-- @id the job, @insert_channel the channel that wakes workers. Returns the state before and whether the job
-- changed, or no row if the job does not exist.
WITH target AS (
    SELECT id, state, queue FROM {{schema}}.jobs WHERE id = @id FOR UPDATE
), upd AS (
    UPDATE {{schema}}.jobs j
    SET state = 'available', scheduled_at = now(), finalized_at = NULL, cancel_requested_at = NULL,
        max_attempts = greatest(j.max_attempts, j.attempt + 1), archived = false
    FROM target t
    WHERE j.id = t.id AND t.state IN ('discarded', 'cancelled', 'completed', 'retryable', 'scheduled')
    RETURNING j.id, j.queue
)
SELECT t.state::text AS before, upd.id IS NOT NULL AS changed
FROM target t
LEFT JOIN upd ON upd.id = t.id
LEFT JOIN LATERAL (SELECT pg_notify(@insert_channel, upd.queue) WHERE upd.id IS NOT NULL) n ON true;
