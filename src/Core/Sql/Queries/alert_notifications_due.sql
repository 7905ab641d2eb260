-- Pending notifications whose next attempt is due, oldest first, at most @limit (alert_notifications_due).
SELECT id, created_at, channel, kind, rule, subjects, message::text AS message, state, attempts, next_attempt_at, last_error, finished_at
FROM {{schema}}.alert_notifications
WHERE state = 'pending' AND next_attempt_at <= now()
ORDER BY next_attempt_at, id
LIMIT @limit;
