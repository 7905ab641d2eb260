-- Worker processes that sent a heartbeat in the last @within_ms, newest first, with the jobs each is running now.
SELECT w.id, w.host, w.pid, w.queues, w.concurrency, w.started_at, w.heartbeat_at,
       (SELECT count(*) FROM {{schema}}.jobs_live j WHERE j.state = 'running' AND j.attempted_by = w.id) AS running
FROM {{schema}}.workers w
WHERE w.heartbeat_at > now() - @within_ms * interval '1 millisecond'
ORDER BY w.started_at DESC, w.id;
