-- Records a firing, repeat or resolution (@kind) of @rule for @subject, with the @value and @details at the time.
INSERT INTO {{schema}}.alert_events (rule, subject, kind, value, details) VALUES (@rule, @subject, @kind, @value, @details::jsonb);
