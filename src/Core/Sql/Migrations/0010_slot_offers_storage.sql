-- Since 0009 each hand-off updates its offer's row instead of deleting it: room on the page keeps those
-- updates HOT (no new index entry), and vacuum runs after a fixed number of them, however few rows the table
-- has (a producer's lookup otherwise walks the dead versions of its offer until the next vacuum).
ALTER TABLE {{schema}}.slot_offers SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
