-- The rules in force, by name.
SELECT name, enabled, settings::text AS settings, updated_at FROM {{schema}}.alert_rules ORDER BY name;
