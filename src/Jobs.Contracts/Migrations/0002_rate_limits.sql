-- Token buckets shared by every worker (e.g. the SMTP provider's messages per second), one row per bucket.
-- A take is one upsert (src/Jobs/Email/Sql/rate_limit_take.sql) that refills the row by the time elapsed on
-- the database clock, under the row lock, so all workers see one bucket without a clock of their own.
CREATE TABLE {{schema}}.jobs_rate_limits (
    name            text             NOT NULL,
    tokens          double precision NOT NULL,
    refilled_at     timestamptz      NOT NULL,
    -- Whether the latest take got a token (RETURNING sees only the new row, so the outcome is kept here).
    last_granted    boolean          NOT NULL,
    granted_total   bigint           NOT NULL DEFAULT 0,
    denied_total    bigint           NOT NULL DEFAULT 0,
    CONSTRAINT jobs_rate_limits_pkey PRIMARY KEY (name),
    CONSTRAINT jobs_rate_limits_tokens_not_negative CHECK (tokens >= 0)
);
