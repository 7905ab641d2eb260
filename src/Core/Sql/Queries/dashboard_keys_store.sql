-- Stores one data-protection key; a key is never changed once written ($1 name, $2 XML).
INSERT INTO {{schema}}.dashboard_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING;
