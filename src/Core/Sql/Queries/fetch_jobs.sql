-- Leases up to @limit available jobs of queue @queue for worker @worker in one statement: highest priority
-- (lowest number) first, then oldest, starting after the cursor (@after_priority, @after_scheduled_at, @after_id;
-- -1, -infinity, nil for the head). SKIP LOCKED lets many workers fetch concurrently without waiting;
-- FOR NO KEY UPDATE does not block inserts referencing the row. A paused queue yields nothing.
-- @synchronous_commit 'off' commits the lease without waiting for the WAL flush (JobEngineOptions.AsyncCommit); null
-- keeps the session's setting. The statement lives in lease_jobs (Sql/Functions/lease_jobs.sql) so that its plan
-- cannot degrade with statistics.
-- @offered the slots this worker's queue counts as offered to producers (direct hand-off, HandOff/SlotOffers): the
-- statement withdraws the offer, and the slots producers took from it (their jobs are on the way to this worker) are
-- leased fewer. The leased job's columns are defined in Storage/LeasedJobRow.cs; the last column,
-- offers_left, is how many slots the withdrawn offer still held. When no job is leased the statement returns one row
-- with only that column set.
WITH withdrawn AS (
    DELETE FROM {{schema}}.slot_offers o WHERE @offered > 0 AND o.queue = @queue AND o.worker_id = @worker RETURNING o.slots
), offer AS (
    SELECT coalesce(sum(w.slots), 0)::integer AS offers_left FROM withdrawn w
)
SELECT {{leased_columns:j}}, offer.offers_left
FROM (SELECT set_config('synchronous_commit', coalesce(@synchronous_commit, current_setting('synchronous_commit')), true)) commit_mode
CROSS JOIN offer
LEFT JOIN LATERAL {{schema}}.lease_jobs(@queue, greatest(0, @limit - greatest(0, @offered - offer.offers_left)), @worker,
                                        @after_priority, @after_scheduled_at, @after_id) j ON true;
