-- Completed jobs still kept, counted up to @cap (the archive can hold millions; a page needs no exact count past
-- that). Returns the count and the planner's estimate of the archive's rows, for when the count reached @cap.
SELECT (SELECT count(*) FROM (SELECT 1 FROM {{schema}}.jobs_archive LIMIT @cap) a)
     + (SELECT count(*) FROM {{schema}}.jobs_live WHERE finalized_at IS NOT NULL AND state = 'completed') AS counted,
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = '{{schema}}.jobs_archive'::regclass) AS estimated;
