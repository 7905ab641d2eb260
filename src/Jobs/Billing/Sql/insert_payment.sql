-- Records the payment of an invoice (at most one per invoice).
INSERT INTO {{schema}}.billing_payments
    (invoice_id, status, amount_minor, currency, gateway_charge_id, idempotency_key, failure_code, failure_message)
VALUES (@invoice, @status, @amount, @currency, @charge, @key, @failure_code, @failure_message);
