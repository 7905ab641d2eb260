-- Ids of the jobs matching a search, newest first (ids are UUIDv7: the primary keys walked backwards, a merge of
-- the two partitions), from a keyset cursor: each page starts below the last id of the one before, so a deep
-- page costs what the first does. Every filter is optional (null matches all). A creation-time range also
-- bounds the ids ($10, $11: UUIDv7 bounds of the range widened by the client's clock skew allowance), so the
-- walk starts and stops near the range instead of at the newest job.
-- $1 kind, $2 queue, $3 states, $4 tag, $5 tenant, $6 args fragment (jsonb containment), $7 created from,
-- $8 created before, $9 cursor (ids below it), $10 lowest id, $11 highest id, $12 limit, $13 whether the archive
-- can match (false unless the states include completed). The state list cannot exclude the archive by its CHECK (the
-- text-to-enum cast is not a constant when planning), but archived <= $13 prunes the partition when the statement
-- starts, even under a generic plan: a search for failed jobs then never walks a million archived ones.
SELECT id
FROM {{schema}}.jobs
WHERE ($1::text IS NULL OR kind = $1)
  AND ($2::text IS NULL OR queue = $2)
  AND ($3::text[] IS NULL OR state = ANY($3::{{schema}}.job_state[]))
  AND ($4::text IS NULL OR tags @> ARRAY[$4::text])
  AND ($5::text IS NULL OR tenant_id = $5)
  AND ($6::jsonb IS NULL OR args @> $6::jsonb)
  AND ($7::timestamptz IS NULL OR created_at >= $7)
  AND ($8::timestamptz IS NULL OR created_at < $8)
  AND ($9::uuid IS NULL OR id < $9)
  AND ($10::uuid IS NULL OR id >= $10)
  AND ($11::uuid IS NULL OR id <= $11)
  AND archived <= $13
ORDER BY id DESC
LIMIT $12;
