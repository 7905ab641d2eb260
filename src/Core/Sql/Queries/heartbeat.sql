-- Registers this worker or refreshes its heartbeat and, in the same round trip, takes or extends the
-- maintenance lease when this worker is a candidate. Returns whether it holds the lease afterwards (leads): either it
-- already did, or the previous holder's lease has expired.
-- It also lists the jobs handed to this worker at their insert (direct hand-off) that still run (handed), and those of
-- them handed longer than @lost_after_ms ago (stale): the worker starts any of those it never received (their
-- notification was lost) and forgets received ones that no longer run.
-- @worker the worker id, @host, @pid, @queues, @slots the slots per queue (in the order of @queues), @role the lease's
-- name (null: not a candidate), @lease_ms how long the lease lasts.
WITH beat AS (
    INSERT INTO {{schema}}.workers (id, host, pid, queues, concurrency) VALUES (@worker, @host, @pid, @queues, @slots)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), queues = EXCLUDED.queues, concurrency = EXCLUDED.concurrency
    RETURNING id
), elected AS (
    INSERT INTO {{schema}}.leader AS l (name, leader_id, elected_at, expires_at)
    SELECT @role, @worker, now(), now() + @lease_ms * interval '1 millisecond' WHERE @role::text IS NOT NULL
    ON CONFLICT (name) DO UPDATE
    SET leader_id = EXCLUDED.leader_id,
        elected_at = CASE WHEN l.leader_id = EXCLUDED.leader_id THEN l.elected_at ELSE now() END,
        expires_at = EXCLUDED.expires_at
    WHERE l.leader_id = EXCLUDED.leader_id OR l.expires_at < now()
    RETURNING leader_id
), handed AS (
    SELECT j.id, j.attempted_at FROM {{schema}}.jobs_live j
    WHERE j.state = 'running' AND j.attempted_by = @worker AND j.handed_off
)
SELECT EXISTS (SELECT 1 FROM elected) AS leads,
       ARRAY(SELECT j.id FROM handed j) AS handed,
       ARRAY(SELECT j.id FROM handed j WHERE j.attempted_at < now() - @lost_after_ms * interval '1 millisecond') AS stale
FROM beat;
