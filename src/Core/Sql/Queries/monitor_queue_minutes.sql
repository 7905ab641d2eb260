-- Outcomes per queue and minute since $1 (the Backlog page's sparklines and failure ratios), from stats_minute.
SELECT queue, minute, sum(completed)::bigint, sum(failed)::bigint, sum(discarded)::bigint, sum(cancelled)::bigint,
       sum(run_ms_sum)::bigint
FROM {{schema}}.stats_minute
WHERE minute >= $1
GROUP BY queue, minute
ORDER BY queue, minute;
