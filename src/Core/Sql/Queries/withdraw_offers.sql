-- Withdraws every slot offer of worker $1 (the engine is stopping).
DELETE FROM {{schema}}.slot_offers WHERE worker_id = $1;
