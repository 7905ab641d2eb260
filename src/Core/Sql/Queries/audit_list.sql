-- Operator actions, newest first, below the keyset cursor @before (null: from the newest), at most @limit.
SELECT id, at, actor, role, action, target, job_ids, job_count, outcome, source
FROM {{schema}}.audit_log
WHERE (@before::bigint IS NULL OR id < @before)
ORDER BY id DESC
LIMIT @limit;
