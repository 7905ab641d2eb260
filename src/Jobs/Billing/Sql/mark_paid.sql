-- Marks an invoice paid.
UPDATE {{schema}}.billing_invoices SET status = 'paid', paid_at = now() WHERE id = @invoice;
