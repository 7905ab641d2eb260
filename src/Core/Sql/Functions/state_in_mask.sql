-- {{schema}}.state_in_mask as the migrations leave it (last defined in migration 0001). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- Bit i of a unique_states mask stands for the i-th job_state label (available = bit 0).
CREATE OR REPLACE FUNCTION {{schema}}.state_in_mask(mask smallint, state {{schema}}.job_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (mask & CASE state
        WHEN 'available' THEN 1 WHEN 'scheduled' THEN 2 WHEN 'running' THEN 4 WHEN 'retryable' THEN 8
        WHEN 'completed' THEN 16 WHEN 'discarded' THEN 32 ELSE 64 END) <> 0;
