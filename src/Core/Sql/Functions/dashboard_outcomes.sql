-- {{schema}}.dashboard_outcomes as the migrations leave it (last defined in migration 0011). To change it, write a new
-- migration and make this file match it: FunctionDefinitionTests compares the two.
--
-- Outcomes in buckets of p_bucket (monitor_outcomes.sql). Planned for each call's range: a generic plan cannot
-- know how many minutes the range holds, and guessed far too few for a week of them.
CREATE OR REPLACE FUNCTION {{schema}}.dashboard_outcomes(p_from timestamptz, p_to timestamptz, p_bucket interval)
RETURNS TABLE (bucket timestamptz, completed bigint, failed bigint, discarded bigint, cancelled bigint, run_ms bigint)
LANGUAGE plpgsql STABLE
SET jit = off
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT date_bin(p_bucket, s.minute, p_from), sum(s.completed)::bigint, sum(s.failed)::bigint, sum(s.discarded)::bigint,
           sum(s.cancelled)::bigint, sum(s.run_ms_sum)::bigint
    FROM {{schema}}.stats_minute s
    WHERE s.minute >= p_from AND s.minute < p_to
    GROUP BY 1
    ORDER BY 1;
END
$$;
