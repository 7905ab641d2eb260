-- Makes many finished or waiting jobs available now in one statement (an operator's batch requeue, or a bulk
-- retry of everything a search matched), per job as retry_job does: an exhausted job gets one more attempt, an
-- archived (completed) job moves back to jobs_live. Rows are locked in id order, so two bulk actions over
-- overlapping jobs cannot deadlock each other. One NOTIFY per queue that got jobs.
-- @ids the jobs, @insert_channel the channel that wakes workers. Returns one row per state the found jobs were in before, with how many of
-- them changed; ids that match no job are absent.
WITH target AS (
    SELECT id FROM {{schema}}.jobs
    WHERE id = ANY(@ids) AND state IN ('discarded', 'cancelled', 'completed', 'retryable', 'scheduled')
    ORDER BY id
    FOR UPDATE
), upd AS (
    UPDATE {{schema}}.jobs j
    SET state = 'available', scheduled_at = now(), finalized_at = NULL, cancel_requested_at = NULL,
        max_attempts = greatest(j.max_attempts, j.attempt + 1), archived = false
    FROM target t
    WHERE j.id = t.id
    RETURNING j.id, j.queue
), woken AS (
    SELECT pg_notify(@insert_channel, q.queue) FROM (SELECT DISTINCT queue FROM upd) q
)
-- The outer query reads the rows as they were before this statement: the states before.
SELECT j.state::text AS state, count(*) AS found, count(u.id) AS changed, (SELECT count(*) FROM woken) AS woken
FROM {{schema}}.jobs j
LEFT JOIN upd u ON u.id = j.id
WHERE j.id = ANY(@ids)
GROUP BY j.state;
