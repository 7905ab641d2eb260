-- Billing: customers, their subscriptions, one invoice per subscription and period, at most one payment per
-- invoice. Amounts are integer minor units (cents) with an ISO 4217 currency code; no floating point money.
-- {{schema}} is replaced by the platform schema, so billing writes and the jobs they enqueue share a transaction.

CREATE TABLE {{schema}}.billing_customers (
    id                bigint      GENERATED ALWAYS AS IDENTITY,
    email             text        NOT NULL,
    name              text        NOT NULL,
    -- The customer's id at the payment gateway (e.g. cus_123), whose stored card is charged.
    gateway_customer  text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT billing_customers_pkey PRIMARY KEY (id),
    CONSTRAINT billing_customers_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    CONSTRAINT billing_customers_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT billing_customers_gateway_customer_length CHECK (char_length(gateway_customer) BETWEEN 1 AND 200)
);

CREATE TABLE {{schema}}.billing_subscriptions (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id   bigint      NOT NULL,
    plan          text        NOT NULL,
    amount_minor  bigint      NOT NULL,
    currency      text        NOT NULL,
    status        text        NOT NULL DEFAULT 'active',
    -- Billed for every period (month) that starts on or after the month of started_on, while active.
    started_on    date        NOT NULL DEFAULT current_date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT billing_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT billing_subscriptions_customer_fkey FOREIGN KEY (customer_id) REFERENCES {{schema}}.billing_customers (id),
    CONSTRAINT billing_subscriptions_plan_length CHECK (char_length(plan) BETWEEN 1 AND 100),
    CONSTRAINT billing_subscriptions_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT billing_subscriptions_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT billing_subscriptions_status_known CHECK (status IN ('active', 'cancelled'))
);

-- billing.run pages through the due subscriptions by id.
CREATE INDEX billing_subscriptions_active ON {{schema}}.billing_subscriptions (id) WHERE status = 'active';
CREATE INDEX billing_subscriptions_customer ON {{schema}}.billing_subscriptions (customer_id);

CREATE TABLE {{schema}}.billing_invoices (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    subscription_id  bigint      NOT NULL,
    customer_id      bigint      NOT NULL,
    -- The billing month, yyyy-MM.
    period           text        NOT NULL,
    amount_minor     bigint      NOT NULL,
    currency         text        NOT NULL,
    -- open: not charged yet (or the charge's outcome is not recorded yet); paid; failed: the card was declined.
    status           text        NOT NULL DEFAULT 'open',
    failure_reason   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    paid_at          timestamptz,
    CONSTRAINT billing_invoices_pkey PRIMARY KEY (id),
    CONSTRAINT billing_invoices_subscription_period_key UNIQUE (subscription_id, period),
    CONSTRAINT billing_invoices_subscription_fkey FOREIGN KEY (subscription_id) REFERENCES {{schema}}.billing_subscriptions (id),
    CONSTRAINT billing_invoices_customer_fkey FOREIGN KEY (customer_id) REFERENCES {{schema}}.billing_customers (id),
    CONSTRAINT billing_invoices_period_format CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    CONSTRAINT billing_invoices_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT billing_invoices_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT billing_invoices_status_known CHECK (status IN ('open', 'paid', 'failed')),
    CONSTRAINT billing_invoices_paid_has_time CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
    CONSTRAINT billing_invoices_failed_has_reason CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
);

CREATE INDEX billing_invoices_customer ON {{schema}}.billing_invoices (customer_id);

CREATE TABLE {{schema}}.billing_payments (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    invoice_id         uuid        NOT NULL,
    status             text        NOT NULL,
    amount_minor       bigint      NOT NULL,
    currency           text        NOT NULL,
    -- The gateway's charge id (ch_...); a declined charge may have none.
    gateway_charge_id  text,
    -- The Idempotency-Key the charge was sent with, to find it at the gateway.
    idempotency_key    text        NOT NULL,
    failure_code       text,
    failure_message    text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT billing_payments_pkey PRIMARY KEY (id),
    CONSTRAINT billing_payments_invoice_key UNIQUE (invoice_id),
    CONSTRAINT billing_payments_invoice_fkey FOREIGN KEY (invoice_id) REFERENCES {{schema}}.billing_invoices (id),
    CONSTRAINT billing_payments_status_known CHECK (status IN ('succeeded', 'failed')),
    CONSTRAINT billing_payments_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT billing_payments_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT billing_payments_succeeded_has_charge CHECK (status <> 'succeeded' OR gateway_charge_id IS NOT NULL),
    CONSTRAINT billing_payments_failed_has_code CHECK ((status = 'failed') = (failure_code IS NOT NULL))
);
