-- Direct hand-off: a worker's queue that found nothing to lease and has a free slot offers that slot here;
-- a producer inserting a single job takes one offer in the insert's transaction and writes the job already
-- leased to that worker (running, attempt 1, attempted_at = created_at), and the worker is told through a
-- NOTIFY on its own channel that carries the job: the job starts without a lease round trip.
--
-- An offer is live only while the worker's listening connection holds the session advisory lock lock_key:
-- a producer skips offers whose lock it can take, so a worker that died or lost its connection is never
-- handed a job (its notification could not arrive). Offers are ephemeral, so the table is UNLOGGED: no WAL
-- for an offer or its claim, and a crash recovery empties it, which only means no hand-offs until workers
-- offer again.
CREATE UNLOGGED TABLE {{schema}}.slot_offers (
    queue      text        NOT NULL,
    worker_id  text        NOT NULL,
    lock_key   bigint      NOT NULL,
    channel    text        NOT NULL,
    offered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (queue, worker_id)
);
