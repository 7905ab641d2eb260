-- The channels the evaluating scheduler delivers to, by name.
SELECT name, type FROM {{schema}}.alert_channels ORDER BY name;
