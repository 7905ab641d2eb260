-- Outcomes in buckets of $3 from $1 (inclusive) to $2 (exclusive), from stats_minute: the dashboard's history
-- graphs (hourly over a day, daily over a week). Buckets without outcomes are absent.
SELECT date_bin($3::interval, minute, $1) AS bucket, sum(completed)::bigint, sum(failed)::bigint, sum(discarded)::bigint,
       sum(cancelled)::bigint, sum(run_ms_sum)::bigint
FROM {{schema}}.stats_minute
WHERE minute >= $1 AND minute < $2
GROUP BY 1
ORDER BY 1;
