-- The hot-path functions run without JIT compilation. Their generic plans (see 0002_hot_path.sql) cannot know
-- the LIMIT or the batch size, so the planner assumes a tenth of the queue and, with a large backlog, costs a
-- lease above jit_above_cost (100,000 by default): PostgreSQL then compiled the plan with LLVM on every call,
-- 8-9 ms of a 10 ms lease of 100 jobs, and made outcome writes take 8 ms instead of 4.7. pgbench, 4 clients
-- leasing and completing 100 jobs at a time from a 1M backlog: 137 rounds/s with JIT, 420 without.
ALTER FUNCTION {{schema}}.lease_jobs(text, integer, text, smallint, timestamptz, uuid) SET jit = off;
ALTER FUNCTION {{schema}}.complete_jobs(uuid[], integer[], text[], bigint[], jsonb[], integer[], text) SET jit = off;
