-- Notifications, newest first, below the keyset cursor $1 (null: from the newest), at most $2; with $3 only those
-- not delivered (pending or failed).
SELECT id, created_at, channel, kind, rule, subjects, message::text, state, attempts, next_attempt_at, last_error, finished_at
FROM {{schema}}.alert_notifications
WHERE ($1::bigint IS NULL OR id < $1) AND (NOT $3 OR state <> 'sent')
ORDER BY id DESC
LIMIT $2;
