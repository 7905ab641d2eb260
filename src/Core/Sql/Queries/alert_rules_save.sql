-- Makes alert_rules the rules given ($1 names, $2 enabled, $3 settings): changed ones are updated, missing ones
-- deleted. The evaluating scheduler writes them at each run, so readers see the rules in force.
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::boolean[], $3::jsonb[]) AS i(name, enabled, settings)
), saved AS (
    INSERT INTO {{schema}}.alert_rules AS r (name, enabled, settings)
    SELECT name, enabled, settings FROM input
    ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, settings = EXCLUDED.settings, updated_at = now()
    WHERE r.enabled IS DISTINCT FROM EXCLUDED.enabled OR r.settings IS DISTINCT FROM EXCLUDED.settings
)
DELETE FROM {{schema}}.alert_rules WHERE name <> ALL($1::text[]);
