-- Jobs per state, over both partitions.
SELECT state::text AS state, count(*) AS jobs FROM {{schema}}.jobs GROUP BY state;
