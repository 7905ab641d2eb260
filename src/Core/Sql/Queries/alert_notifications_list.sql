-- Notifications, newest first, below the keyset cursor @before (null: from the newest), at most @limit; with
-- @undelivered_only only those not delivered (pending or failed).
SELECT id, created_at, channel, kind, rule, subjects, message::text AS message, state, attempts, next_attempt_at, last_error, finished_at
FROM {{schema}}.alert_notifications
WHERE (@before::bigint IS NULL OR id < @before) AND (NOT @undelivered_only OR state <> 'sent')
ORDER BY id DESC
LIMIT @limit;
