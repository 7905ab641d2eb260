-- Stamps the invoice's first charge attempt (later attempts keep it) and returns it with the database's clock, so
-- every worker measures the idempotency-key window by the same clock.
UPDATE {{schema}}.billing_invoices
SET first_charge_at = coalesce(first_charge_at, now())
WHERE id = @invoice
RETURNING first_charge_at, now();
