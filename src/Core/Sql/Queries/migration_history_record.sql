-- Records that migration @version (@name) was applied, in the history table {{history_table}}.
INSERT INTO {{schema}}.{{history_table}} (version, name) VALUES (@version, @name);
