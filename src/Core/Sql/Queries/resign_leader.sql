-- Gives up the lease @role if worker @worker holds it, so that another candidate takes over at its next heartbeat.
DELETE FROM {{schema}}.leader WHERE name = @role AND leader_id = @worker;
