-- Operations report: latency of jobs finalized in [$1, $2) that are still retained (completed jobs are
-- pruned after a day by default). wait = from due (scheduled_at) to the start of the last attempt;
-- run = the last attempt's duration. Served by the jobs_finalized and jobs_archive_finalized indexes. Waits are
-- floored at 0: leases before platform migration 0004 recorded their statement's start, which could precede the
-- job's insert by milliseconds.
SELECT queue, kind,
       count(*)::bigint AS jobs,
       percentile_cont(0.5)  WITHIN GROUP (ORDER BY greatest(extract(epoch FROM attempted_at - scheduled_at), 0) * 1000) AS wait_p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY greatest(extract(epoch FROM attempted_at - scheduled_at), 0) * 1000) AS wait_p95_ms,
       percentile_cont(0.5)  WITHIN GROUP (ORDER BY extract(epoch FROM finalized_at - attempted_at) * 1000) AS run_p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finalized_at - attempted_at) * 1000) AS run_p95_ms
FROM {{schema}}.jobs
WHERE state IN ('completed', 'discarded')
  AND finalized_at >= $1::timestamptz AND finalized_at < $2::timestamptz
  AND attempted_at IS NOT NULL
GROUP BY queue, kind
ORDER BY queue, kind;
