-- Pauses ($2 true) or resumes a queue and wakes its workers.
WITH up AS (
    INSERT INTO {{schema}}.queues AS q (name, paused_at) VALUES ($1, CASE WHEN $2 THEN now() END)
    ON CONFLICT (name) DO UPDATE
    SET paused_at = CASE WHEN $2 THEN coalesce(q.paused_at, now()) END, updated_at = now()
    RETURNING name
)
SELECT pg_notify($3, name) IS NULL FROM up;
