-- Records a delivery attempt of pending notification @id: @state 'sent', 'failed' (for good) or 'pending' (again at
-- @next_attempt_at), @error the channel's answer or the error, if any. A notification that is no longer pending is
-- left alone.
UPDATE {{schema}}.alert_notifications
SET state = @state, attempts = attempts + 1, next_attempt_at = coalesce(@next_attempt_at, next_attempt_at), last_error = @error,
    finished_at = CASE WHEN @state = 'pending' THEN NULL ELSE now() END
WHERE id = @id AND state = 'pending';
