using System.ComponentModel.DataAnnotations;

namespace JobPlatform.Jobs.Billing;

/// <summary>Settings of <c>billing.run</c> and <c>billing.charge</c> (section <c>Billing</c>).</summary>
public sealed class BillingRunOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing";

    /// <summary>Default number of subscriptions read and enqueued per page.</summary>
    public const int DefaultPageSize = 1000;

    /// <summary>Default <see cref="ChargeWindow"/>: an hour inside Stripe's 24 h idempotency-key lifetime.</summary>
    public static readonly TimeSpan DefaultChargeWindow = TimeSpan.FromHours(23);

    /// <summary>Default attempts of each <c>billing.charge</c> job.</summary>
    public const int DefaultChargeMaxAttempts = 20;

    /// <summary>Subscriptions read and enqueued (in one bulk insert) per page, 1 to 10,000 (<c>Billing:PageSize</c>).</summary>
    [Range(1, 10_000, ErrorMessage = "Billing:PageSize must be 1 to 10000, e.g. 1000.")]
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Attempts of each <c>billing.charge</c> job, 1 to 100 (<c>Billing:ChargeMaxAttempts</c>). With the
    /// charge backoff (capped at an hour) the default 20 stay well inside a gateway's 24 h idempotency window.</summary>
    [Range(1, 100, ErrorMessage = "Billing:ChargeMaxAttempts must be 1 to 100, e.g. 20.")]
    public int ChargeMaxAttempts { get; set; } = DefaultChargeMaxAttempts;

    /// <summary>
    /// How long after an invoice's first charge attempt another may still be sent (<c>Billing:ChargeWindow</c>); keep it
    /// below the gateway's idempotency-key lifetime. Past it, a retry could charge twice (the gateway no longer knows
    /// the key), so the job is discarded for reconciliation instead: breaker snoozes spend no attempts, operators can
    /// retry discarded jobs, and a rerun of <c>billing.run</c> re-enqueues open invoices, so attempts alone do not bound it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Billing:ChargeWindow must be between 00:01:00 and 30.00:00:00, e.g. 23:00:00 (below the gateway's idempotency-key lifetime).")]
    public TimeSpan ChargeWindow { get; set; } = DefaultChargeWindow;
}
