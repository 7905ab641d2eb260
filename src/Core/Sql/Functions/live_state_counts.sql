-- {{schema}}.live_state_counts as the migrations leave it (last defined in migration 0011). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- Jobs per state, for the dashboard's menu counters and its 2-second statistics polling. Each count is an index
-- range: available over jobs_fetch, scheduled and retryable over jobs_due, running over jobs_running, discarded
-- and cancelled over jobs_finalized. Sequential scans are off because a table holding nothing but a backlog
-- makes one look cheaper than the index, and an open tab polls this every two seconds. Completed jobs are not
-- counted here (the archive can hold millions): readers take them from stats_minute.
CREATE OR REPLACE FUNCTION {{schema}}.live_state_counts()
RETURNS TABLE (available bigint, scheduled bigint, retryable bigint, running bigint, discarded bigint, cancelled bigint)
LANGUAGE sql STABLE
SET enable_seqscan = off
SET jit = off
AS $$
    SELECT (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'available'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'scheduled'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'retryable'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'running'),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'discarded' AND finalized_at IS NOT NULL),
           (SELECT count(*) FROM {{schema}}.jobs_live WHERE state = 'cancelled' AND finalized_at IS NOT NULL)
$$;
