-- Demo data for billing.run / billing.charge: four customers, five active subscriptions (EUR, USD, JPY),
-- billed from January 2026. Written once: nothing is inserted when billing customers already exist.
-- The schema is the default platform schema; for another one, replace "jobplatform." throughout.
--   psql "host=127.0.0.1 port=55499 user=postgres dbname=jobplatform" -f tools/FakeGateway/billing-demo.sql

INSERT INTO jobplatform.billing_customers (email, name, gateway_customer)
SELECT v.email, v.name, v.gateway_customer
FROM (VALUES
    ('ada@example.com', 'Ada Lovelace', 'cus_demo_ada'),
    ('grace@example.com', 'Grace Hopper', 'cus_demo_grace'),
    ('alan@example.com', 'Alan Turing', 'cus_demo_alan'),
    ('yukihiro@example.com', 'Yukihiro Matsumoto', 'cus_demo_yukihiro')) AS v (email, name, gateway_customer)
WHERE NOT EXISTS (SELECT 1 FROM jobplatform.billing_customers);

INSERT INTO jobplatform.billing_subscriptions (customer_id, plan, amount_minor, currency, started_on)
SELECT c.id, v.plan, v.amount_minor, v.currency, DATE '2026-01-01'
FROM (VALUES
    ('cus_demo_ada', 'pro', 1999, 'EUR'),
    ('cus_demo_ada', 'storage-addon', 499, 'EUR'),
    ('cus_demo_grace', 'team', 4900, 'USD'),
    ('cus_demo_alan', 'pro', 1999, 'EUR'),
    ('cus_demo_yukihiro', 'pro', 2500, 'JPY')) AS v (gateway_customer, plan, amount_minor, currency)
JOIN jobplatform.billing_customers c ON c.gateway_customer = v.gateway_customer
WHERE NOT EXISTS (SELECT 1 FROM jobplatform.billing_subscriptions);
