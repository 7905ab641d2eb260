namespace JobPlatform.Jobs.Billing;

/// <summary>The billing statements, one named constant each; <c>{{schema}}</c> stands for the quoted platform schema.</summary>
internal static class BillingSql
{
    /// <summary>One page of the subscriptions due in a period, after a subscription id: active, started before the
    /// period ends, and not already settled (paid or declined) for the period.</summary>
    public const string DueSubscriptions = """
        SELECT s.id
        FROM {{schema}}.billing_subscriptions s
        WHERE s.status = 'active'
          AND s.id > @after
          AND s.started_on < @period_end
          AND NOT EXISTS (
              SELECT 1 FROM {{schema}}.billing_invoices i
              WHERE i.subscription_id = s.id AND i.period = @period AND i.status <> 'open')
        ORDER BY s.id
        LIMIT @limit
        """;

    /// <summary>Creates the invoice of an active subscription for a period unless it exists (then nothing happens).</summary>
    public const string InsertInvoice = """
        INSERT INTO {{schema}}.billing_invoices (subscription_id, customer_id, period, amount_minor, currency)
        SELECT s.id, s.customer_id, @period, s.amount_minor, s.currency
        FROM {{schema}}.billing_subscriptions s
        WHERE s.id = @subscription AND s.status = 'active'
        ON CONFLICT (subscription_id, period) DO NOTHING
        """;

    /// <summary>The invoice of a subscription for a period, with its customer.</summary>
    public const string SelectInvoice = """
        SELECT i.id, i.subscription_id, i.period, i.amount_minor, i.currency, i.status, c.email, c.name, c.gateway_customer
        FROM {{schema}}.billing_invoices i
        JOIN {{schema}}.billing_customers c ON c.id = i.customer_id
        WHERE i.subscription_id = @subscription AND i.period = @period
        """;

    /// <summary>The status of a subscription, or no row.</summary>
    public const string SelectSubscriptionStatus = "SELECT status FROM {{schema}}.billing_subscriptions WHERE id = @subscription";

    /// <summary>Locks an invoice for settling and returns its status: concurrent attempts settle it one after another.</summary>
    public const string LockInvoice = "SELECT status FROM {{schema}}.billing_invoices WHERE id = @invoice FOR UPDATE";

    /// <summary>Records the payment of an invoice (at most one per invoice).</summary>
    public const string InsertPayment = """
        INSERT INTO {{schema}}.billing_payments
            (invoice_id, status, amount_minor, currency, gateway_charge_id, idempotency_key, failure_code, failure_message)
        VALUES (@invoice, @status, @amount, @currency, @charge, @key, @failure_code, @failure_message)
        """;

    /// <summary>Marks an invoice paid.</summary>
    public const string MarkPaid = "UPDATE {{schema}}.billing_invoices SET status = 'paid', paid_at = now() WHERE id = @invoice";

    /// <summary>Marks an invoice failed (declined) with the reason.</summary>
    public const string MarkFailed = "UPDATE {{schema}}.billing_invoices SET status = 'failed', failure_reason = @reason WHERE id = @invoice";
}
