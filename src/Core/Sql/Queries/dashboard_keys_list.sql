-- Every stored data-protection key, oldest first.
SELECT xml FROM {{schema}}.dashboard_keys ORDER BY created_at, name;
