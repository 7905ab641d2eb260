-- Every pending or firing alert, by rule and subject.
SELECT rule, subject, state, since, firing_since, value, details::text AS details, last_notified_at, evaluated_at
FROM {{schema}}.alert_states ORDER BY rule, subject;
