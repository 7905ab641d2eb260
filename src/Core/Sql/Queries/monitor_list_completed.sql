-- Completed jobs, latest first, a page of @count from @offset. Most are in jobs_archive (jobs_archive_finalized
-- backwards); those whose unique key covers completed stay in jobs_live (jobs_finalized). Each side is cut at
-- offset + count before the two are merged.
SELECT * FROM (
    (SELECT {{job_columns}}
     FROM {{schema}}.jobs_archive
     ORDER BY finalized_at DESC
     LIMIT @offset + @count)
    UNION ALL
    (SELECT {{job_columns}}
     FROM {{schema}}.jobs_live
     WHERE finalized_at IS NOT NULL AND state = 'completed'
     ORDER BY finalized_at DESC
     LIMIT @offset + @count)
) c
ORDER BY finalized_at DESC, id DESC
OFFSET @offset LIMIT @count;
