-- Drops per-minute stats older than @stats_retention_ms and worker rows silent for longer than @workers_retention_ms.
WITH s AS (DELETE FROM {{schema}}.stats_minute WHERE minute < now() - @stats_retention_ms * interval '1 millisecond')
DELETE FROM {{schema}}.workers WHERE heartbeat_at < now() - @workers_retention_ms * interval '1 millisecond';
