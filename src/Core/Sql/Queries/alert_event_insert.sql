-- Records a firing, repeat or resolution. $1 rule, $2 subject, $3 kind, $4 value, $5 details.
INSERT INTO {{schema}}.alert_events (rule, subject, kind, value, details) VALUES ($1, $2, $3, $4, $5::jsonb);
