-- Registers this worker or refreshes its heartbeat.
INSERT INTO {{schema}}.workers (id, host, pid, queues) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), queues = EXCLUDED.queues;
