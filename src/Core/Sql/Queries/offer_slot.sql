-- Offers @slots more free slots of queue @queue on worker @worker to producers (direct hand-off, HandOff/SlotOffers)
-- under offer generation @generation; @lock_key the advisory lock its listening connection holds, @channel the channel
-- it listens on for handed jobs. Slots left in the row from an earlier generation are replaced: the worker no longer
-- counts them. Touches only the unlogged offers table, so the commit waits for no WAL flush.
INSERT INTO {{schema}}.slot_offers AS o (queue, worker_id, lock_key, channel, slots, generation)
VALUES (@queue, @worker, @lock_key, @channel, @slots, @generation)
ON CONFLICT (queue, worker_id) DO UPDATE
SET slots = CASE WHEN o.generation = EXCLUDED.generation THEN o.slots + EXCLUDED.slots ELSE EXCLUDED.slots END,
    generation = EXCLUDED.generation, lock_key = EXCLUDED.lock_key, channel = EXCLUDED.channel, offered_at = now();
