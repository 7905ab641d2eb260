namespace JobPlatform.Jobs.Reports;

/// <summary>A statement's totals in one currency.</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="InvoicedMinor">Sum of the invoices, in minor units.</param>
/// <param name="PaidMinor">Sum of the payments on them, in minor units.</param>
public sealed record StatementTotal(string Currency, long InvoicedMinor, long PaidMinor)
{
    /// <summary>What remains to be paid (negative when overpaid), in minor units.</summary>
    public long BalanceMinor => InvoicedMinor - PaidMinor;
}
