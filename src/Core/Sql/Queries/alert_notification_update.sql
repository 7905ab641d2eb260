-- Records a delivery attempt of a pending notification: $2 'sent', 'failed' (for good) or 'pending' (again at $3),
-- $4 the channel's answer or the error, if any. A notification that is no longer pending is left alone.
UPDATE {{schema}}.alert_notifications
SET state = $2, attempts = attempts + 1, next_attempt_at = coalesce($3, next_attempt_at), last_error = $4,
    finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
WHERE id = $1 AND state = 'pending';
