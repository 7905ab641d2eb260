-- Firings, repeats and resolutions, newest first, below the keyset cursor @before (null: from the newest), at
-- most @limit.
SELECT id, at, rule, subject, kind, value, details::text AS details
FROM {{schema}}.alert_events
WHERE (@before::bigint IS NULL OR id < @before)
ORDER BY id DESC
LIMIT @limit;
