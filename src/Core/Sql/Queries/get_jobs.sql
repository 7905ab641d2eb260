-- Several jobs by id (@ids), in no particular order; ids that match no job are absent.
SELECT {{job_columns}}
FROM {{schema}}.jobs WHERE id = ANY(@ids);
