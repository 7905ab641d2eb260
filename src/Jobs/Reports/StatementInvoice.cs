namespace JobPlatform.Jobs.Reports;

/// <summary>One line of a statement: an invoice and what has been paid on it.</summary>
/// <param name="InvoiceId">The invoice's id.</param>
/// <param name="Period">Its billing period, <c>YYYY-MM</c>.</param>
/// <param name="AmountMinor">The amount invoiced, in minor units (cents).</param>
/// <param name="Currency">ISO 4217 code, upper case.</param>
/// <param name="Status">The invoice's status as billing records it (e.g. <c>open</c>, <c>paid</c>).</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="PaidMinor">Sum of its payments, in minor units.</param>
/// <param name="LastPaidAt">When the latest payment was recorded, if any.</param>
public sealed record StatementInvoice(
    string InvoiceId, string Period, long AmountMinor, string Currency, string Status, DateTimeOffset CreatedAt, long PaidMinor, DateTimeOffset? LastPaidAt)
{
    /// <summary>What is still owed, in minor units (never negative).</summary>
    public long DueMinor => Math.Max(0, AmountMinor - PaidMinor);
}
