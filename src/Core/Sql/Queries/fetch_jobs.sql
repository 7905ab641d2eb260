-- Leases up to $2 available jobs of queue $1 for worker $3 in one statement: highest priority
-- (lowest number) first, then oldest, starting after the cursor ($4 priority, $5 scheduled_at, $6 id;
-- -1, -infinity, nil for the head). SKIP LOCKED lets many workers fetch concurrently without waiting;
-- FOR NO KEY UPDATE does not block inserts referencing the row. A paused queue yields nothing.
-- $7 'off' commits the lease without waiting for the WAL flush (JobEngineOptions.AsyncCommit); null keeps the
-- session's setting. The statement lives in lease_jobs (Sql/Functions/lease_jobs.sql) so that its plan cannot degrade with statistics.
-- $8 the slots this worker's queue counts as offered to producers (direct hand-off, HandOff/SlotOffers): the statement
-- withdraws the offer, and the slots producers took from it (their jobs are on the way to this worker) are
-- leased fewer. The last column, offers_left, is how many slots the withdrawn offer still held; when no job
-- is leased the statement returns one row with only that column set.
WITH withdrawn AS (
    DELETE FROM {{schema}}.slot_offers o WHERE $8 > 0 AND o.queue = $1 AND o.worker_id = $3 RETURNING o.slots
), offer AS (
    SELECT coalesce(sum(w.slots), 0)::integer AS offers_left FROM withdrawn w
)
SELECT j.id, j.queue, j.kind, j.args, j.priority, j.attempt, j.max_attempts, j.scheduled_at, j.created_at, j.attempted_at,
       j.tags, j.tenant_id, j.timeout_ms, j.trace_context, j.unique_key, offer.offers_left
FROM (SELECT set_config('synchronous_commit', coalesce($7, current_setting('synchronous_commit')), true)) commit_mode
CROSS JOIN offer
LEFT JOIN LATERAL {{schema}}.lease_jobs($1, greatest(0, $2 - greatest(0, $8 - offer.offers_left)), $3, $4, $5, $6) j ON true;
