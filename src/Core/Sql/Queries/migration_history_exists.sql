-- Whether the platform's history table exists (@table: schema.migrations), before reading it.
SELECT to_regclass(@table) IS NOT NULL AS present;
