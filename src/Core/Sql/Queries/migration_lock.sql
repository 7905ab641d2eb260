-- Waits for the transaction-scoped advisory lock named @name (one per schema and history table), so concurrent
-- starts migrate one at a time; it is released at commit or rollback.
SELECT pg_advisory_xact_lock(hashtext(@name));
