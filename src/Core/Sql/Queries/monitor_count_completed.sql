-- Completed jobs still kept, counted up to $1 (the archive can hold millions; a page needs no exact count past
-- that). Returns the count and the planner's estimate of the archive's rows, for when the count reached $1.
SELECT (SELECT count(*) FROM (SELECT 1 FROM {{schema}}.jobs_archive LIMIT $1) a)
     + (SELECT count(*) FROM {{schema}}.jobs_live WHERE finalized_at IS NOT NULL AND state = 'completed'),
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = '{{schema}}.jobs_archive'::regclass);
