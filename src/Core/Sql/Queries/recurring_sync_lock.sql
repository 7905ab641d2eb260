-- Waits for the transaction-scoped advisory lock named @name, so that syncs of recurring schedules that must not
-- interleave (replicas applying their configuration, schedulers applying triggers) run one after the other; it is
-- released at commit or rollback.
SELECT pg_advisory_xact_lock(hashtext(@name));
