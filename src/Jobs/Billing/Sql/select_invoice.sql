-- The invoice of a subscription for a period, with its customer.
SELECT i.id, i.subscription_id, i.period, i.amount_minor, i.currency, i.status, c.email, c.name, c.gateway_customer
FROM {{schema}}.billing_invoices i
JOIN {{schema}}.billing_customers c ON c.id = i.customer_id
WHERE i.subscription_id = @subscription AND i.period = @period;
