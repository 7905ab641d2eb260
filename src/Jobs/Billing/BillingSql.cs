namespace JobPlatform.Jobs.Billing;

/// <summary>Names of the billing statements (embedded <c>Billing/Sql/*.sql</c>, read through <see cref="JobsSql"/>).</summary>
internal static class BillingSql
{
    /// <summary>One page of the subscriptions due in a period, after a subscription id: active, started before the period ends, and not already settled (paid or declined) for the period.</summary>
    public const string DueSubscriptions = "due_subscriptions";

    /// <summary>Creates the invoice of an active subscription for a period unless it exists (then nothing happens).</summary>
    public const string InsertInvoice = "insert_invoice";

    /// <summary>The invoice of a subscription for a period, with its customer.</summary>
    public const string SelectInvoice = "select_invoice";

    /// <summary>The status of a subscription, or no row.</summary>
    public const string SelectSubscriptionStatus = "select_subscription_status";

    /// <summary>Locks an invoice for settling and returns its status: concurrent attempts settle it one after another.</summary>
    public const string LockInvoice = "lock_invoice";

    /// <summary>Records the payment of an invoice (at most one per invoice).</summary>
    public const string InsertPayment = "insert_payment";

    /// <summary>Marks an invoice paid.</summary>
    public const string MarkPaid = "mark_paid";

    /// <summary>Marks an invoice failed (declined) with the reason.</summary>
    public const string MarkFailed = "mark_failed";

    /// <summary>Stamps (once) and returns the invoice's first charge attempt, with the database clock.</summary>
    public const string StartCharge = "start_charge";
}
