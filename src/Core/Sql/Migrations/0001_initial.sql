-- The job table, its state machine and the engine's bookkeeping tables.
-- {{schema}} is replaced by the configured schema (JobPlatform:Schema, default "jobplatform").

CREATE TYPE {{schema}}.job_state AS ENUM (
    'available', 'scheduled', 'running', 'retryable', 'completed', 'discarded', 'cancelled');

-- Bit i of a unique_states mask stands for the i-th job_state label (available = bit 0).
CREATE FUNCTION {{schema}}.state_in_mask(mask smallint, state {{schema}}.job_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (mask & CASE state
        WHEN 'available' THEN 1 WHEN 'scheduled' THEN 2 WHEN 'running' THEN 4 WHEN 'retryable' THEN 8
        WHEN 'completed' THEN 16 WHEN 'discarded' THEN 32 ELSE 64 END) <> 0;

CREATE TABLE {{schema}}.jobs (
    id              uuid        NOT NULL,
    queue           text        NOT NULL,
    kind            text        NOT NULL,
    args            jsonb       NOT NULL,
    state           {{schema}}.job_state NOT NULL,
    priority        smallint    NOT NULL DEFAULT 0,
    attempt         integer     NOT NULL DEFAULT 0,
    max_attempts    integer     NOT NULL,
    scheduled_at    timestamptz NOT NULL DEFAULT now(),
    attempted_at    timestamptz,
    attempted_by    text,
    errors          jsonb       NOT NULL DEFAULT '[]',
    unique_key      text,
    unique_states   smallint,
    tags            text[]      NOT NULL DEFAULT '{}',
    tenant_id       text,
    timeout_ms      integer,
    trace_context   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finalized_at    timestamptz,
    cancel_requested_at timestamptz,
    CONSTRAINT jobs_pkey PRIMARY KEY (id),
    CONSTRAINT jobs_queue_format CHECK (queue ~ '^[a-z0-9_.-]{1,64}$'),
    CONSTRAINT jobs_kind_length CHECK (char_length(kind) BETWEEN 1 AND 128),
    CONSTRAINT jobs_priority_range CHECK (priority BETWEEN 0 AND 9),
    CONSTRAINT jobs_max_attempts_positive CHECK (max_attempts BETWEEN 1 AND 1000),
    CONSTRAINT jobs_attempt_within_max CHECK (attempt >= 0 AND attempt <= max_attempts),
    CONSTRAINT jobs_finalized_has_time CHECK (
        (state IN ('completed', 'discarded', 'cancelled')) = (finalized_at IS NOT NULL)),
    CONSTRAINT jobs_running_has_attempt CHECK (
        state <> 'running' OR (attempted_at IS NOT NULL AND attempted_by IS NOT NULL AND attempt >= 1)),
    CONSTRAINT jobs_unique_pair CHECK ((unique_key IS NULL) = (unique_states IS NULL)),
    CONSTRAINT jobs_timeout_positive CHECK (timeout_ms IS NULL OR timeout_ms > 0),
    CONSTRAINT jobs_errors_array CHECK (jsonb_typeof(errors) = 'array')
) WITH (fillfactor = 80,
        autovacuum_vacuum_scale_factor = 0.01,
        autovacuum_vacuum_insert_scale_factor = 0.01,
        autovacuum_analyze_scale_factor = 0.02,
        autovacuum_vacuum_cost_limit = 2000);

-- Hot path: fetch the next available jobs of one queue, highest priority first, oldest first.
CREATE INDEX jobs_fetch ON {{schema}}.jobs (queue, priority, scheduled_at, id) WHERE state = 'available';
-- Leader: promote due scheduled/retryable jobs.
CREATE INDEX jobs_due ON {{schema}}.jobs (scheduled_at) WHERE state IN ('scheduled', 'retryable');
-- Leader: find running jobs of lost workers; workers: cancellation requests for their jobs.
CREATE INDEX jobs_running ON {{schema}}.jobs (attempted_by) WHERE state = 'running';
-- Leader: prune finished jobs past retention.
CREATE INDEX jobs_finalized ON {{schema}}.jobs (state, finalized_at) WHERE finalized_at IS NOT NULL;
-- Listing by kind for operators.
CREATE INDEX jobs_kind ON {{schema}}.jobs (kind, created_at);
-- Dedupe: one job per unique key among the states its mask names.
CREATE UNIQUE INDEX jobs_unique_key ON {{schema}}.jobs (unique_key)
    WHERE unique_key IS NOT NULL AND {{schema}}.state_in_mask(unique_states, state);

-- Queues that have been paused, or otherwise configured by operators.
CREATE TABLE {{schema}}.queues (
    name        text        NOT NULL PRIMARY KEY,
    paused_at   timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT queues_name_format CHECK (name ~ '^[a-z0-9_.-]{1,64}$')
);

-- One row per live worker process; refreshed by its heartbeat.
CREATE TABLE {{schema}}.workers (
    id            text        NOT NULL PRIMARY KEY,
    host          text        NOT NULL,
    pid           integer     NOT NULL,
    queues        text[]      NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now()
);

-- Leader election: one row per elected role, held while its lease has not expired.
CREATE TABLE {{schema}}.leader (
    name        text        NOT NULL PRIMARY KEY,
    leader_id   text        NOT NULL,
    elected_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- Per-minute outcome counts per queue and kind, for graphs; written by the completer.
CREATE TABLE {{schema}}.stats_minute (
    minute      timestamptz NOT NULL,
    queue       text        NOT NULL,
    kind        text        NOT NULL,
    completed   bigint      NOT NULL DEFAULT 0,
    failed      bigint      NOT NULL DEFAULT 0,
    discarded   bigint      NOT NULL DEFAULT 0,
    cancelled   bigint      NOT NULL DEFAULT 0,
    snoozed     bigint      NOT NULL DEFAULT 0,
    run_ms_sum  bigint      NOT NULL DEFAULT 0,
    CONSTRAINT stats_minute_pkey PRIMARY KEY (minute, queue, kind)
);
