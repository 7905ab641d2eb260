-- Withdraws every slot offer of worker @worker (the engine is stopping).
DELETE FROM {{schema}}.slot_offers WHERE worker_id = @worker;
