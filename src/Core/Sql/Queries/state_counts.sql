SELECT state::text, count(*) FROM {{schema}}.jobs GROUP BY state;
