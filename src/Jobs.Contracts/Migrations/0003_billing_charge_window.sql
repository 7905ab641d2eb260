-- When an invoice's first charge was sent to the gateway. Every attempt reuses the invoice's Idempotency-Key, but
-- gateways forget keys (Stripe: after 24 h); past that, a retry could charge a second time, so billing.charge
-- refuses to charge an invoice whose first attempt is older than Billing:ChargeWindow.
ALTER TABLE {{schema}}.billing_invoices ADD COLUMN first_charge_at timestamptz;
