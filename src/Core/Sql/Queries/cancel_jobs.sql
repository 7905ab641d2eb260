-- Cancels many jobs in one statement (an operator's batch delete, or a bulk cancel of everything a search
-- matched), per job as cancel_job does: a waiting job is cancelled at once, a running one is only marked and its
-- worker told through NOTIFY. With @include_discarded, failed (discarded) jobs are cancelled too: the dashboard's
-- Delete on its Failed page, an operator clearing failures they have seen. Rows are locked in id order, so two bulk
-- actions over overlapping jobs cannot deadlock each other. Cancellations are counted in stats_minute.
-- @ids the jobs, @cancel_channel the channel workers listen on. Returns one row per state the found jobs were in
-- before, with how many of them changed; ids that match no job are absent.
WITH target AS (
    SELECT id FROM {{schema}}.jobs_live
    WHERE id = ANY(@ids)
      AND (state IN ('available', 'scheduled', 'retryable', 'running') OR (@include_discarded AND state = 'discarded'))
    ORDER BY id
    FOR UPDATE
), upd AS (
    UPDATE {{schema}}.jobs_live j
    SET state = CASE WHEN j.state = 'running' THEN j.state ELSE 'cancelled' END,
        finalized_at = CASE WHEN j.state = 'running' THEN j.finalized_at ELSE now() END,
        cancel_requested_at = now()
    FROM target t
    WHERE j.id = t.id
    RETURNING j.id, j.state, j.queue, j.kind
), told AS (
    SELECT pg_notify(@cancel_channel, id::text) FROM upd WHERE state = 'running'
), counted AS (
    INSERT INTO {{schema}}.stats_minute AS s (minute, queue, kind, cancelled)
    SELECT date_trunc('minute', now()), queue, kind, count(*) FROM upd WHERE state = 'cancelled'
    GROUP BY queue, kind
    ORDER BY queue, kind
    ON CONFLICT (minute, queue, kind) DO UPDATE SET cancelled = s.cancelled + EXCLUDED.cancelled
)
-- The outer query reads the rows as they were before this statement: the states before.
SELECT j.state::text AS state, count(*) AS found, count(u.id) AS changed, (SELECT count(*) FROM told) AS notified
FROM {{schema}}.jobs j
LEFT JOIN upd u ON u.id = j.id
WHERE j.id = ANY(@ids)
GROUP BY j.state;
