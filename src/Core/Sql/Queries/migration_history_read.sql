-- The versions recorded in the history table {{history_table}}.
SELECT version FROM {{schema}}.{{history_table}};
