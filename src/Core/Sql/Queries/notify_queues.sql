-- Wakes the workers of each distinct queue of @queues on channel @channel, one NOTIFY per queue.
SELECT count(pg_notify(@channel, q)) AS notified FROM (SELECT DISTINCT unnest(@queues::text[]) AS q) d;
