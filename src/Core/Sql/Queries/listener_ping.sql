-- Proves a quiet listening connection is still alive.
SELECT 1 AS alive;
