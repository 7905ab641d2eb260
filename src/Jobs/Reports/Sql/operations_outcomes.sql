-- Operations report: finished attempts per queue and kind in [$1, $2), from the per-minute stats the
-- completer writes (kept 14 days), so the figures survive the pruning of finished jobs.
-- failed = attempts that failed and will be retried; discarded = jobs that gave up.
SELECT queue, kind,
       sum(completed)::bigint  AS completed,
       sum(failed)::bigint     AS failed,
       sum(discarded)::bigint  AS discarded,
       sum(cancelled)::bigint  AS cancelled,
       sum(snoozed)::bigint    AS snoozed,
       sum(run_ms_sum)::bigint AS run_ms_sum
FROM {{schema}}.stats_minute
WHERE minute >= date_trunc('minute', $1::timestamptz) AND minute < $2::timestamptz
GROUP BY queue, kind
ORDER BY queue, kind;
