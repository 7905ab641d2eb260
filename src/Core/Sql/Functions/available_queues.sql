-- {{schema}}.available_queues as the migrations leave it (last defined in migration 0011). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- The queues that have available jobs, found by skipping through jobs_fetch (one index probe per queue) rather
-- than by grouping every available row.
CREATE OR REPLACE FUNCTION {{schema}}.available_queues()
RETURNS SETOF text
LANGUAGE sql STABLE
SET jit = off
AS $$
    WITH RECURSIVE q AS (
        (SELECT queue FROM {{schema}}.jobs_live WHERE state = 'available' ORDER BY queue LIMIT 1)
        UNION ALL
        SELECT (SELECT j.queue FROM {{schema}}.jobs_live j WHERE j.state = 'available' AND j.queue > q.queue ORDER BY j.queue LIMIT 1)
        FROM q WHERE q.queue IS NOT NULL
    )
    SELECT queue FROM q WHERE queue IS NOT NULL
$$;
