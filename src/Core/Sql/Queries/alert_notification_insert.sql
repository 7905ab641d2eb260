-- Puts a message into the outbox: @message (JSON) of @kind for @channel, about @rule (if any) and @subjects.
INSERT INTO {{schema}}.alert_notifications (channel, kind, rule, subjects, message)
VALUES (@channel, @kind, @rule, @subjects, @message::jsonb)
RETURNING id;
