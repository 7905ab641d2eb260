-- Keeps the alert history and the outbox bounded: delivered or failed notifications older than $1 ms and events
-- older than $2 ms go.
WITH n AS (DELETE FROM {{schema}}.alert_notifications WHERE state <> 'pending' AND finished_at < now() - $1 * interval '1 millisecond')
DELETE FROM {{schema}}.alert_events WHERE at < now() - $2 * interval '1 millisecond';
