-- Takes or extends the lease of role $1 for candidate $2 for $3 milliseconds. Returns a row only if
-- $2 holds the lease afterwards: either it already did, or the previous lease has expired.
INSERT INTO {{schema}}.leader AS l (name, leader_id, elected_at, expires_at)
VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond')
ON CONFLICT (name) DO UPDATE
SET leader_id = EXCLUDED.leader_id,
    elected_at = CASE WHEN l.leader_id = EXCLUDED.leader_id THEN l.elected_at ELSE now() END,
    expires_at = EXCLUDED.expires_at
WHERE l.leader_id = EXCLUDED.leader_id OR l.expires_at < now()
RETURNING leader_id;
