-- Creates the invoice of an active subscription for a period unless it exists (then nothing happens); only
-- for a subscription started before the period ends, as billing.run's due_subscriptions.sql selects them.
INSERT INTO {{schema}}.billing_invoices (subscription_id, customer_id, period, amount_minor, currency)
SELECT s.id, s.customer_id, @period, s.amount_minor, s.currency
FROM {{schema}}.billing_subscriptions s
WHERE s.id = @subscription AND s.status = 'active' AND s.started_on < @period_end
ON CONFLICT (subscription_id, period) DO NOTHING;
