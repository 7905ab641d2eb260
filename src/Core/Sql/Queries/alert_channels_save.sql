-- Makes alert_channels the channels given ($1 names, $2 types).
WITH saved AS (
    INSERT INTO {{schema}}.alert_channels AS c (name, type)
    SELECT * FROM unnest($1::text[], $2::text[])
    ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, updated_at = now() WHERE c.type IS DISTINCT FROM EXCLUDED.type
)
DELETE FROM {{schema}}.alert_channels WHERE name <> ALL($1::text[]);
