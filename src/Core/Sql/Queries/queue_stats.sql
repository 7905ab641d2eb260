-- Per queue: waiting and running counts, age of the oldest available job, paused flag. Includes paused
-- queues that hold no jobs.
WITH j AS (
    SELECT queue,
           count(*) FILTER (WHERE state = 'available') AS available,
           count(*) FILTER (WHERE state = 'running') AS running,
           count(*) FILTER (WHERE state IN ('scheduled', 'retryable')) AS waiting,
           min(scheduled_at) FILTER (WHERE state = 'available') AS oldest
    FROM {{schema}}.jobs_live
    WHERE state IN ('available', 'running', 'scheduled', 'retryable')
    GROUP BY queue
)
SELECT coalesce(j.queue, q.name) AS name, coalesce(j.available, 0) AS available, coalesce(j.running, 0) AS running,
       coalesce(j.waiting, 0) AS waiting, coalesce(extract(epoch FROM now() - j.oldest), 0)::float8 AS oldest_age_s,
       coalesce(q.paused_at IS NOT NULL, false) AS paused
FROM j FULL JOIN {{schema}}.queues q ON q.name = j.queue
ORDER BY 1;
