-- Newest first (ids are UUIDv7, made at creation: the primary key walked backwards), at most @limit; every
-- filter (@kind, @state, @queue) is optional (null matches all).
SELECT {{job_columns}}
FROM {{schema}}.jobs
WHERE (@kind::text IS NULL OR kind = @kind)
  AND (@state::text IS NULL OR state = @state::{{schema}}.job_state)
  AND (@queue::text IS NULL OR queue = @queue)
ORDER BY id DESC
LIMIT @limit;
