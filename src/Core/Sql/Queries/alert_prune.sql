-- Keeps the alert history and the outbox bounded: delivered or failed notifications older than @notifications_ms
-- and events older than @events_ms go.
WITH n AS (DELETE FROM {{schema}}.alert_notifications WHERE state <> 'pending' AND finished_at < now() - @notifications_ms * interval '1 millisecond')
DELETE FROM {{schema}}.alert_events WHERE at < now() - @events_ms * interval '1 millisecond';
