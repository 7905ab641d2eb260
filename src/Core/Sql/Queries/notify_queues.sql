-- One wake-up per distinct queue of a batch.
SELECT count(pg_notify($1, q)) FROM (SELECT DISTINCT unnest($2::text[]) AS q) d;
