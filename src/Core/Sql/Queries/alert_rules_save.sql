-- Makes alert_rules the rules given (@names, with @enabled and @settings at the same positions): changed ones are
-- updated, missing ones deleted. The evaluating scheduler writes them at each run, so readers see the rules in force.
WITH input AS (
    SELECT * FROM unnest(@names::text[], @enabled::boolean[], @settings::jsonb[]) AS i(name, enabled, settings)
), saved AS (
    INSERT INTO {{schema}}.alert_rules AS r (name, enabled, settings)
    SELECT name, enabled, settings FROM input
    ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, settings = EXCLUDED.settings, updated_at = now()
    WHERE r.enabled IS DISTINCT FROM EXCLUDED.enabled OR r.settings IS DISTINCT FROM EXCLUDED.settings
)
DELETE FROM {{schema}}.alert_rules WHERE name <> ALL(@names::text[]);
