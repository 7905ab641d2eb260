-- Offers one free slot of queue $1 on worker $2 to producers (see migration 0008); $3 the advisory lock its
-- listening connection holds, $4 the channel it listens on for handed jobs. Touches only the unlogged offers table, so the commit waits for no WAL flush.
INSERT INTO {{schema}}.slot_offers (queue, worker_id, lock_key, channel) VALUES ($1, $2, $3, $4)
ON CONFLICT (queue, worker_id) DO NOTHING;
