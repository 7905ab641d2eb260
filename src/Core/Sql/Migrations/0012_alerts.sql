-- Backlog alerts: the rules in force (as the evaluating scheduler read them from its configuration), the state of
-- each rule per subject (a queue, or a worker for WorkerLost), the history of firings and resolutions, and the
-- outbox of notifications the scheduler delivers. Everything an evaluation changes is written in one transaction,
-- so a scheduler that dies mid-way leaves the state as it was before that evaluation, and the next evaluator
-- (another replica) carries on from it: nothing is notified twice or forgotten.

-- One row per rule, written by the evaluator at each run: what the dashboard and jobctl show as the rules.
CREATE TABLE {{schema}}.alert_rules (
    name        text        PRIMARY KEY,
    enabled     boolean     NOT NULL,
    settings    jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The channels the evaluating scheduler can deliver to (names and types only: a webhook URL is a secret and stays in
-- its configuration), so the dashboard and jobctl can address a test message.
CREATE TABLE {{schema}}.alert_channels (
    name        text        PRIMARY KEY,
    type        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A rule whose condition holds for a subject: pending until it has held for the rule's For, then firing. A subject
-- whose condition does not hold has no row (ok).
CREATE TABLE {{schema}}.alert_states (
    rule              text        NOT NULL,
    subject           text        NOT NULL,
    state             text        NOT NULL,
    since             timestamptz NOT NULL,
    firing_since      timestamptz,
    value             double precision NOT NULL,
    details           jsonb       NOT NULL DEFAULT '{}',
    last_notified_at  timestamptz,
    evaluated_at      timestamptz NOT NULL,
    PRIMARY KEY (rule, subject),
    CONSTRAINT alert_states_state_known CHECK (state IN ('pending', 'firing')),
    CONSTRAINT alert_states_firing_has_time CHECK ((state = 'firing') = (firing_since IS NOT NULL))
);

-- Every firing, repeat and resolution, newest last.
CREATE TABLE {{schema}}.alert_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    rule        text        NOT NULL,
    subject     text        NOT NULL,
    kind        text        NOT NULL,
    value       double precision,
    details     jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT alert_events_kind_known CHECK (kind IN ('firing', 'repeat', 'resolved'))
);

-- The outbox: one row per message to one channel. The scheduler that evaluates delivers the due ones; a message is
-- pending until delivered (sent) or refused for good (failed, with the channel's answer).
CREATE TABLE {{schema}}.alert_notifications (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at       timestamptz NOT NULL DEFAULT now(),
    channel          text        NOT NULL,
    kind             text        NOT NULL,
    rule             text,
    subjects         text[]      NOT NULL DEFAULT '{}',
    message          jsonb       NOT NULL,
    state            text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    finished_at      timestamptz,
    CONSTRAINT alert_notifications_kind_known CHECK (kind IN ('firing', 'repeat', 'resolved', 'test')),
    CONSTRAINT alert_notifications_state_known CHECK (state IN ('pending', 'sent', 'failed')),
    CONSTRAINT alert_notifications_finished CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX alert_notifications_due ON {{schema}}.alert_notifications (next_attempt_at) WHERE state = 'pending';
