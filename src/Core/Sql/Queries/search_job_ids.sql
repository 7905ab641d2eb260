-- Ids of the jobs matching a search, newest first (ids are UUIDv7: the primary keys walked backwards, a merge of
-- the two partitions), from a keyset cursor: each page starts below the last id of the one before (@after), so a
-- deep page costs what the first does. Every filter is optional (null matches all): @kind, @queue, @states, @tag,
-- @tenant, @args (jsonb containment), @created_from, @created_before. A creation-time range also bounds the ids
-- (@low_id, @high_id: UUIDv7 bounds of the range widened by the client's clock skew allowance), so the walk starts
-- and stops near the range instead of at the newest job. At most @limit ids. @archive says whether the archive can
-- match (false unless the states include completed). The state list cannot exclude the archive by its CHECK (the
-- text-to-enum cast is not a constant when planning), but archived <= @archive prunes the partition when the
-- statement starts, even under a generic plan: a search for failed jobs then never walks a million archived ones.
SELECT id
FROM {{schema}}.jobs
WHERE (@kind::text IS NULL OR kind = @kind)
  AND (@queue::text IS NULL OR queue = @queue)
  AND (@states::text[] IS NULL OR state = ANY(@states::{{schema}}.job_state[]))
  AND (@tag::text IS NULL OR tags @> ARRAY[@tag::text])
  AND (@tenant::text IS NULL OR tenant_id = @tenant)
  AND (@args::jsonb IS NULL OR args @> @args::jsonb)
  AND (@created_from::timestamptz IS NULL OR created_at >= @created_from)
  AND (@created_before::timestamptz IS NULL OR created_at < @created_before)
  AND (@after::uuid IS NULL OR id < @after)
  AND (@low_id::uuid IS NULL OR id >= @low_id)
  AND (@high_id::uuid IS NULL OR id <= @high_id)
  AND archived <= @archive
ORDER BY id DESC
LIMIT @limit;
