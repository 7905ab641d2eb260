-- Operations report: the most frequent last errors of jobs discarded in [$1, $2) (still retained),
-- at most $3 groups.
SELECT queue, kind,
       coalesce(left(errors -> -1 ->> 'message', 300), '(no error recorded)') AS message,
       count(*)::bigint AS jobs,
       max(finalized_at) AS last_at
FROM {{schema}}.jobs
WHERE state = 'discarded'
  AND finalized_at >= $1::timestamptz AND finalized_at < $2::timestamptz
GROUP BY queue, kind, 3
ORDER BY jobs DESC, last_at DESC
LIMIT $3;
