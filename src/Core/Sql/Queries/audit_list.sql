-- Operator actions, newest first, below the keyset cursor $1 (null: from the newest), at most $2.
SELECT id, at, actor, role, action, target, job_ids, job_count, outcome, source
FROM {{schema}}.audit_log
WHERE ($1::bigint IS NULL OR id < $1)
ORDER BY id DESC
LIMIT $2;
