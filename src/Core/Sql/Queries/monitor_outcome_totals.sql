-- Outcome totals of the minutes from @from (inclusive, null: the oldest kept) to @to (exclusive, null: now).
SELECT coalesce(sum(completed), 0)::bigint AS completed, coalesce(sum(failed), 0)::bigint AS failed,
       coalesce(sum(discarded), 0)::bigint AS discarded, coalesce(sum(cancelled), 0)::bigint AS cancelled,
       coalesce(sum(run_ms_sum), 0)::bigint AS run_ms
FROM {{schema}}.stats_minute
WHERE (@from::timestamptz IS NULL OR minute >= @from) AND (@to::timestamptz IS NULL OR minute < @to);
