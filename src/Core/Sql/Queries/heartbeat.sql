-- Registers this worker or refreshes its heartbeat and, in the same round trip, takes or extends the
-- maintenance lease when this worker is a candidate. Returns whether it holds the lease afterwards: either it
-- already did, or the previous holder's lease has expired.
-- It also lists the jobs handed to this worker at their insert (direct hand-off) that still run, and those of
-- them handed longer than $8 ago: the worker starts any of those it never received (their notification was
-- lost) and forgets received ones that no longer run.
-- $1 worker id, $2 host, $3 pid, $4 queues, $5 role (null: not a candidate), $6 lease in ms, $7 slots per queue
-- (in the order of $4), $8 how long a handed job's notification may take, in ms.
WITH beat AS (
    INSERT INTO {{schema}}.workers (id, host, pid, queues, concurrency) VALUES ($1, $2, $3, $4, $7)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), queues = EXCLUDED.queues, concurrency = EXCLUDED.concurrency
    RETURNING id
), elected AS (
    INSERT INTO {{schema}}.leader AS l (name, leader_id, elected_at, expires_at)
    SELECT $5, $1, now(), now() + $6 * interval '1 millisecond' WHERE $5::text IS NOT NULL
    ON CONFLICT (name) DO UPDATE
    SET leader_id = EXCLUDED.leader_id,
        elected_at = CASE WHEN l.leader_id = EXCLUDED.leader_id THEN l.elected_at ELSE now() END,
        expires_at = EXCLUDED.expires_at
    WHERE l.leader_id = EXCLUDED.leader_id OR l.expires_at < now()
    RETURNING leader_id
), handed AS (
    SELECT j.id, j.attempted_at FROM {{schema}}.jobs_live j
    WHERE j.state = 'running' AND j.attempted_by = $1 AND j.handed_off
)
SELECT EXISTS (SELECT 1 FROM elected),
       ARRAY(SELECT j.id FROM handed j),
       ARRAY(SELECT j.id FROM handed j WHERE j.attempted_at < now() - $8 * interval '1 millisecond')
FROM beat;
