-- Takes the session advisory lock @lock_key that makes this worker's slot offers live while the listener's connection
-- lasts (insert_job_offered.sql skips offers whose lock it can take). False while an earlier connection of the same
-- listener lingers on the server holding it.
SELECT pg_try_advisory_lock(@lock_key) AS locked;
