-- Marks an invoice failed (declined) with the reason.
UPDATE {{schema}}.billing_invoices SET status = 'failed', failure_reason = @reason WHERE id = @invoice;
