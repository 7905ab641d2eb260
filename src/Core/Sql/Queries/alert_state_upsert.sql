-- Records the state of @rule for @subject: @state (pending or firing), @since, @firing_since, the @value last
-- compared, @details (JSON), @last_notified_at and the evaluation's time, @evaluated_at.
INSERT INTO {{schema}}.alert_states AS s (rule, subject, state, since, firing_since, value, details, last_notified_at, evaluated_at)
VALUES (@rule, @subject, @state, @since, @firing_since, @value, @details::jsonb, @last_notified_at, @evaluated_at)
ON CONFLICT (rule, subject) DO UPDATE
SET state = EXCLUDED.state, since = EXCLUDED.since, firing_since = EXCLUDED.firing_since, value = EXCLUDED.value,
    details = EXCLUDED.details, last_notified_at = EXCLUDED.last_notified_at, evaluated_at = EXCLUDED.evaluated_at;
