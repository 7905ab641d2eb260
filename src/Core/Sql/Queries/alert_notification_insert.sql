-- Puts a message into the outbox. $1 channel, $2 kind, $3 rule, $4 subjects, $5 message.
INSERT INTO {{schema}}.alert_notifications (channel, kind, rule, subjects, message)
VALUES ($1, $2, $3, $4, $5::jsonb)
RETURNING id;
