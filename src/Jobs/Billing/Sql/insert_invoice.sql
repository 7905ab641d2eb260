-- Creates the invoice of an active subscription for a period unless it exists (then nothing happens).
INSERT INTO {{schema}}.billing_invoices (subscription_id, customer_id, period, amount_minor, currency)
SELECT s.id, s.customer_id, @period, s.amount_minor, s.currency
FROM {{schema}}.billing_subscriptions s
WHERE s.id = @subscription AND s.status = 'active'
ON CONFLICT (subscription_id, period) DO NOTHING;
