-- Cancels a job that has not finished. A running job is only marked: its worker is told through NOTIFY
-- (and its own poll) and cancels the handler's token; the job becomes cancelled when the handler stops.
-- A waiting job's cancellation is counted in stats_minute (a running one's by its worker's outcome).
-- @id the job, @cancel_channel the channel workers listen on. Returns the state before and after, or no row if
-- the job does not exist.
WITH target AS (
    SELECT id, state FROM {{schema}}.jobs WHERE id = @id FOR UPDATE
), upd AS (
    UPDATE {{schema}}.jobs j
    SET state = CASE WHEN t.state = 'running' THEN j.state ELSE 'cancelled' END,
        finalized_at = CASE WHEN t.state = 'running' THEN j.finalized_at ELSE now() END,
        cancel_requested_at = now()
    FROM target t
    WHERE j.id = t.id AND t.state NOT IN ('completed', 'discarded', 'cancelled')
    RETURNING j.id, j.state, j.queue, j.kind
), counted AS (
    INSERT INTO {{schema}}.stats_minute AS s (minute, queue, kind, cancelled)
    SELECT date_trunc('minute', now()), queue, kind, 1 FROM upd WHERE state = 'cancelled'
    ON CONFLICT (minute, queue, kind) DO UPDATE SET cancelled = s.cancelled + EXCLUDED.cancelled
)
SELECT t.state::text AS before, coalesce(upd.state, t.state)::text AS after
FROM target t
LEFT JOIN upd ON upd.id = t.id
LEFT JOIN LATERAL (SELECT pg_notify(@cancel_channel, t.id::text) WHERE upd.state = 'running') n ON true;
