-- Records one operator action: who (@actor, @role), what (@action, on @target and the jobs @job_ids, @job_count
-- in all), what came of it (@outcome), and where the request came from (@source).
INSERT INTO {{schema}}.audit_log (actor, role, action, target, job_ids, job_count, outcome, source)
VALUES (@actor, @role, @action, @target, @job_ids, @job_count, @outcome, @source)
RETURNING id, at;
