-- Outcomes in buckets of @bucket from @from (inclusive) to @to (exclusive), from stats_minute: the dashboard's
-- history graphs (hourly over a day, daily over a week). Buckets without outcomes are absent. The statement is the
-- function dashboard_outcomes (migration 0011), planned for each call's range.
SELECT bucket, completed, failed, discarded, cancelled, run_ms FROM {{schema}}.dashboard_outcomes(@from, @to, @bucket::interval);
