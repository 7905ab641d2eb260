-- Stores one data-protection key (@xml) under @name; a key is never changed once written.
INSERT INTO {{schema}}.dashboard_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING;
