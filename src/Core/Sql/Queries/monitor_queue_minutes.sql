-- Outcomes per queue and minute since @since (the Backlog page's sparklines and failure ratios), from stats_minute.
SELECT queue, minute, sum(completed)::bigint AS completed, sum(failed)::bigint AS failed,
       sum(discarded)::bigint AS discarded, sum(cancelled)::bigint AS cancelled, sum(run_ms_sum)::bigint AS run_ms
FROM {{schema}}.stats_minute
WHERE minute >= @since
GROUP BY queue, minute
ORDER BY queue, minute;
