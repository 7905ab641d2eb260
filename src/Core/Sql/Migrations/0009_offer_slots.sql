-- A slot offer holds any number of a worker's free slots. With one slot per offer, the slot a producer took
-- was offered again only after its job had reached the worker and the worker's next statement: 0.5-2 ms in
-- which the next producer found no offer (at 500 single enqueues a second, 40 % of them went the slow way,
-- NOTIFY and lease). Now an idle worker offers all its free slots at once; a producer takes one (the last
-- one deletes the row) and the worker adds slots only once fewer are left than it could add.
--
-- generation tells a worker which offer a handed job's slot came from: each fetch withdraws the offer and
-- starts a new generation, and counts the slots producers took before the withdrawal apart until their jobs
-- arrive (QueueProcessor, SlotOfferLedger). Offers of earlier versions of the platform keep generation 0 and
-- one slot: producers still delete them when they take them, and send their jobs in the earlier format.
ALTER TABLE {{schema}}.slot_offers
    ADD COLUMN slots      integer NOT NULL DEFAULT 1,
    ADD COLUMN generation bigint  NOT NULL DEFAULT 0;
