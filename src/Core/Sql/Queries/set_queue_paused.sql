-- Pauses (@paused true) or resumes @queue and wakes its workers through @insert_channel.
WITH up AS (
    INSERT INTO {{schema}}.queues AS q (name, paused_at) VALUES (@queue, CASE WHEN @paused THEN now() END)
    ON CONFLICT (name) DO UPDATE
    SET paused_at = CASE WHEN @paused THEN coalesce(q.paused_at, now()) END, updated_at = now()
    RETURNING name
)
SELECT pg_notify(@insert_channel, name) IS NULL AS notified FROM up;
