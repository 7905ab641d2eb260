-- Invoice statement of one customer ($1, the customer id as text; cast so the primary key serves the lookup) for one
-- billing period ($2, 'YYYY-MM'): one row per invoice with its payments summed, or a single row with null
-- invoice columns when the customer has no invoice in the period; no row when the customer does not exist.
-- Reads the billing tables of migration 0001_billing.sql; only succeeded payments count as paid.
SELECT c.name::text                 AS customer_name,
       c.email::text                AS customer_email,
       i.id::text                   AS invoice_id,
       i.period::text               AS period,
       i.amount_minor::bigint       AS amount_minor,
       upper(i.currency::text)      AS currency,
       i.status::text               AS status,
       i.created_at                 AS created_at,
       coalesce(p.paid_minor, 0)::bigint AS paid_minor,
       p.last_paid_at               AS last_paid_at
FROM {{schema}}.billing_customers c
LEFT JOIN {{schema}}.billing_invoices i ON i.customer_id = c.id AND i.period = $2
LEFT JOIN LATERAL (
    SELECT sum(pay.amount_minor) AS paid_minor, max(pay.created_at) AS last_paid_at
    FROM {{schema}}.billing_payments pay
    WHERE pay.invoice_id = i.id AND pay.status = 'succeeded'
) p ON true
WHERE c.id = $1::bigint
ORDER BY i.created_at, i.id::text;
