-- One job by id; no row if no job has it.
SELECT {{job_columns}}
FROM {{schema}}.jobs WHERE id = @id;
