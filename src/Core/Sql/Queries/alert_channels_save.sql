-- Makes alert_channels the channels given (@names, with their @types at the same positions).
WITH saved AS (
    INSERT INTO {{schema}}.alert_channels AS c (name, type)
    SELECT * FROM unnest(@names::text[], @types::text[])
    ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, updated_at = now() WHERE c.type IS DISTINCT FROM EXCLUDED.type
)
DELETE FROM {{schema}}.alert_channels WHERE name <> ALL(@names::text[]);
