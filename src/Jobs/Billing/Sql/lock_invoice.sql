-- Locks an invoice for settling and returns its status: concurrent attempts settle it one after another.
SELECT status FROM {{schema}}.billing_invoices WHERE id = @invoice FOR UPDATE;
