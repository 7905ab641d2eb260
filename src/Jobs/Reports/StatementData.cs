namespace JobPlatform.Jobs.Reports;

/// <summary>What a customer's invoice statement shows: the customer and their invoices of one period.</summary>
/// <param name="CustomerId">The customer's id in the billing tables.</param>
/// <param name="CustomerName">The customer's name.</param>
/// <param name="CustomerEmail">The customer's email address, if known.</param>
/// <param name="Period">The billing period, <c>YYYY-MM</c>.</param>
/// <param name="Invoices">The period's invoices, oldest first (possibly none).</param>
public sealed record StatementData(string CustomerId, string CustomerName, string? CustomerEmail, string Period, IReadOnlyList<StatementInvoice> Invoices)
{
    /// <summary>Invoiced, paid and balance per currency, in currency order.</summary>
    public IReadOnlyList<StatementTotal> Totals =>
        Invoices.GroupBy(i => i.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatementTotal(g.Key, g.Sum(i => i.AmountMinor), g.Sum(i => i.PaidMinor)))
            .ToList();
}
