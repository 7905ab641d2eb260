-- The channels every worker's listener hears: inserts that wake its queues, and cancellation requests for its running
-- jobs. LISTEN takes identifiers, not parameters: Storage/ListenerStore.cs splices the catalog's names, quoted.
LISTEN {{insert_channel}}; LISTEN {{cancel_channel}}
