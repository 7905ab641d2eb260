-- What the alert metrics report: firing alerts per rule, notifications pending, and notifications that failed for
-- good in the last 7 days.
SELECT 'firing' AS what, rule AS name, count(*) AS count FROM {{schema}}.alert_states WHERE state = 'firing' GROUP BY rule
UNION ALL
SELECT 'notifications', state, count(*) FROM {{schema}}.alert_notifications
WHERE state = 'pending' OR (state = 'failed' AND finished_at > now() - interval '7 days')
GROUP BY state;
