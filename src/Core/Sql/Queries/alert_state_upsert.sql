-- Records a rule's state for a subject. $1 rule, $2 subject, $3 state, $4 since, $5 firing since, $6 value,
-- $7 details, $8 last notified at, $9 evaluated at.
INSERT INTO {{schema}}.alert_states AS s (rule, subject, state, since, firing_since, value, details, last_notified_at, evaluated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
ON CONFLICT (rule, subject) DO UPDATE
SET state = EXCLUDED.state, since = EXCLUDED.since, firing_since = EXCLUDED.firing_since, value = EXCLUDED.value,
    details = EXCLUDED.details, last_notified_at = EXCLUDED.last_notified_at, evaluated_at = EXCLUDED.evaluated_at;
