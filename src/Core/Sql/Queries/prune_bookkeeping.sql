-- Drops per-minute stats older than $1 ms and worker rows silent for longer than $2 ms.
WITH s AS (DELETE FROM {{schema}}.stats_minute WHERE minute < now() - $1 * interval '1 millisecond')
DELETE FROM {{schema}}.workers WHERE heartbeat_at < now() - $2 * interval '1 millisecond';
