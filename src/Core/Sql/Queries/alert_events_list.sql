-- Firings, repeats and resolutions, newest first, below the keyset cursor $1 (null: from the newest), at most $2.
SELECT id, at, rule, subject, kind, value, details::text
FROM {{schema}}.alert_events
WHERE ($1::bigint IS NULL OR id < $1)
ORDER BY id DESC
LIMIT $2;
