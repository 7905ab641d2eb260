-- Outcome totals of the minutes from $1 (inclusive, null: the oldest kept) to $2 (exclusive, null: now).
SELECT coalesce(sum(completed), 0)::bigint, coalesce(sum(failed), 0)::bigint, coalesce(sum(discarded), 0)::bigint,
       coalesce(sum(cancelled), 0)::bigint, coalesce(sum(run_ms_sum), 0)::bigint
FROM {{schema}}.stats_minute
WHERE ($1::timestamptz IS NULL OR minute >= $1) AND ($2::timestamptz IS NULL OR minute < $2);
