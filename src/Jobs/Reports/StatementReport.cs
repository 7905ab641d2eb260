using System.Text.RegularExpressions;
using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Jobs.Reports;

/// <summary>The <c>statement</c> report: one customer's invoices of one billing period (see <see cref="StatementData"/>).</summary>
internal sealed partial class StatementReport(IStatementDataSource source, ReportHtmlRenderer renderer) : IReport
{
    /// <summary>Longest customer id accepted.</summary>
    public const int MaxCustomerIdLength = 128;

    public string Name => ReportNames.Statement;

    public async Task<RenderedReport> RenderAsync(ReportGenerateArgs args, DateTimeOffset enqueuedAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(args.CustomerId))
        {
            throw new DiscardJobException("report.generate 'statement' needs customerId (the customer's id in billing_customers), e.g. \"customerId\": 42.");
        }

        if (args.CustomerId.Length > MaxCustomerIdLength)
        {
            throw new DiscardJobException($"report.generate 'statement': customerId is {args.CustomerId.Length} characters; the limit is {MaxCustomerIdLength}.");
        }

        if (!long.TryParse(args.CustomerId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new DiscardJobException($"report.generate 'statement': customerId is '{args.CustomerId}'; it must be the customer's numeric id in billing_customers, e.g. \"customerId\": 42.");
        }

        if (args.Period is null || !PeriodPattern().IsMatch(args.Period))
        {
            throw new DiscardJobException($"report.generate 'statement': period is '{args.Period}'; give the billing period as YYYY-MM, e.g. \"period\": \"2026-11\".");
        }

        StatementData? data;
        try
        {
            data = await source.GetStatementAsync(args.CustomerId, args.Period, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            // A deployment problem, not bad args: fail the attempt so it is retried once the billing migration is in.
            throw new InvalidOperationException(
                $"The billing tables do not match what the statement report reads ({e.MessageText}). Apply the billing migration (0001_billing.sql) " +
                "or adapt src/Jobs/Reports/Sql/statement.sql.", e);
        }

        if (data is null)
        {
            throw new DiscardJobException($"report.generate 'statement': no customer with id '{args.CustomerId}' in billing_customers.");
        }

        var title = args.Title ?? $"Statement {data.Period} – {data.CustomerName}";
        var html = await renderer.RenderAsync<StatementPage>(new Dictionary<string, object?>
        {
            [nameof(StatementPage.Data)] = data,
            [nameof(StatementPage.Heading)] = args.Title,
        }).ConfigureAwait(false);
        return new RenderedReport(title, html);
    }

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])\z")]
    private static partial Regex PeriodPattern();
}
