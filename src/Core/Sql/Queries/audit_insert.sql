-- Records one operator action. $1 actor, $2 role, $3 action, $4 target, $5 job ids, $6 job count, $7 outcome,
-- $8 source (where the request came from).
INSERT INTO {{schema}}.audit_log (actor, role, action, target, job_ids, job_count, outcome, source)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id, at;
