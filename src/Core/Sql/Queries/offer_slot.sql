-- Offers $5 more free slots of queue $1 on worker $2 to producers (direct hand-off, HandOff/SlotOffers) under offer
-- generation $6; $3 the advisory lock its listening connection holds, $4 the channel it listens on for handed
-- jobs. Slots left in the row from an earlier generation are replaced: the worker no longer counts them.
-- Touches only the unlogged offers table, so the commit waits for no WAL flush.
INSERT INTO {{schema}}.slot_offers AS o (queue, worker_id, lock_key, channel, slots, generation)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (queue, worker_id) DO UPDATE
SET slots = CASE WHEN o.generation = EXCLUDED.generation THEN o.slots + EXCLUDED.slots ELSE EXCLUDED.slots END,
    generation = EXCLUDED.generation, lock_key = EXCLUDED.lock_key, channel = EXCLUDED.channel, offered_at = now();
