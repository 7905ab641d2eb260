using JobPlatform.Core;
using JobPlatform.Jobs.Reports;
using JobPlatform.Jobs.Schema;
using JobPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Jobs.Tests.Reports;

[Collection(ChromiumCollection.Name)]
public sealed class StatementReportTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private readonly string _blobs = Directory.CreateTempSubdirectory("jobplatform-reports-").FullName;
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await JobsModuleMigration.CreateMigrator(_db.DataSource, _db.Schema).MigrateAsync();
        // Invoice ids are uuids; these spell out their number in the last digits so the PDF can be checked.
        await _db.ExecuteAsync("""
            INSERT INTO {schema}.billing_customers (id, name, email, gateway_customer) OVERRIDING SYSTEM VALUE VALUES
                (42, 'Acme Tools GmbH', 'ap@acme.example', 'cus_acme'),
                (43, 'Other Customer Ltd', 'other@example.com', 'cus_other');
            INSERT INTO {schema}.billing_subscriptions (id, customer_id, plan, amount_minor, currency, started_on) OVERRIDING SYSTEM VALUE VALUES
                (1, 42, 'enterprise', 1234567, 'EUR', '2026-01-01'),
                (2, 42, 'support', 25000, 'EUR', '2026-01-01'),
                (3, 43, 'pro', 55500, 'EUR', '2026-01-01');
            INSERT INTO {schema}.billing_invoices (id, subscription_id, customer_id, period, amount_minor, currency, status, created_at, paid_at, failure_reason) VALUES
                ('00000000-0000-4000-8000-202611000001', 1, 42, '2026-11', 1234567, 'EUR', 'paid', '2026-11-02T10:00:00Z', '2026-11-03T10:00:00Z', null),
                ('00000000-0000-4000-8000-202611000002', 2, 42, '2026-11',   25000, 'EUR', 'open', '2026-11-15T10:00:00Z', null, null),
                ('00000000-0000-4000-8000-202610000009', 1, 42, '2026-10',   99900, 'EUR', 'paid', '2026-10-03T10:00:00Z', '2026-10-04T10:00:00Z', null),
                ('00000000-0000-4000-8000-202611000777', 3, 43, '2026-11',   55500, 'EUR', 'failed', '2026-11-04T10:00:00Z', null, 'card_declined');
            INSERT INTO {schema}.billing_payments (invoice_id, status, amount_minor, currency, gateway_charge_id, idempotency_key, failure_code, created_at) VALUES
                ('00000000-0000-4000-8000-202611000001', 'succeeded', 1234567, 'EUR', 'ch_1', 'invoice-1', null, '2026-11-03T10:00:00Z'),
                ('00000000-0000-4000-8000-202610000009', 'succeeded',   99900, 'EUR', 'ch_3', 'invoice-3', null, '2026-10-04T10:00:00Z'),
                ('00000000-0000-4000-8000-202611000777', 'failed',      55500, 'EUR', null,   'invoice-777', 'card_declined', '2026-11-05T10:00:00Z');
            """);
        _services = ReportServices.Build(_db, _blobs, chromium.Browser);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_blobs, recursive: true);
    }

    [Fact]
    public async Task The_statement_shows_the_customer_the_periods_invoices_and_the_totals()
    {
        var text = await PrintAsync(new ReportGenerateArgs { Report = ReportNames.Statement, CustomerId = "42", Period = "2026-11" });

        Assert.Contains("Acme Tools GmbH", text);
        Assert.Contains("ap@acme.example", text);
        Assert.Matches(@"202611000001\s+2026-11-02\s+paid\s+12,345\.67 EUR\s+12,345\.67 EUR\s+0\.00 EUR", text);
        Assert.Matches(@"202611000002\s+2026-11-15\s+open\s+250\.00 EUR\s+0\.00 EUR\s+250\.00 EUR", text);
        // Totals: invoiced, paid, balance due.
        Assert.Matches(@"EUR\s+12,595\.67 EUR\s+12,345\.67 EUR\s+250\.00 EUR", text);
        // Another period's invoice and another customer's are not on it.
        Assert.DoesNotContain("202610000009", text);
        Assert.DoesNotContain("202611000777", text);
        Assert.DoesNotContain("Other Customer", text);
    }

    [Fact]
    public async Task A_customer_without_invoices_in_the_period_gets_an_empty_statement()
    {
        var text = await PrintAsync(new ReportGenerateArgs { Report = ReportNames.Statement, CustomerId = "43", Period = "2026-09" });

        Assert.Contains("Other Customer Ltd", text);
        Assert.Contains("No invoices in 2026-09.", text);
    }

    [Theory]
    [InlineData("999", "2026-11", "no customer with id '999'")]
    [InlineData(null, "2026-11", "needs customerId")]
    [InlineData("cus_42", "2026-11", "it must be the customer's numeric id")]
    [InlineData("42", "2026-13", "period is '2026-13'")]
    [InlineData("42", null, "give the billing period as YYYY-MM")]
    public async Task Bad_statement_args_discard_with_a_message_naming_the_input(string? customerId, string? period, string expected)
    {
        var report = _services.GetServices<IReport>().Single(r => r.Name == ReportNames.Statement);

        var e = await Assert.ThrowsAsync<DiscardJobException>(() => report.RenderAsync(
            new ReportGenerateArgs { Report = ReportNames.Statement, CustomerId = customerId, Period = period }, DateTimeOffset.UtcNow, default));
        Assert.Contains(expected, e.Message);
    }

    private async Task<string> PrintAsync(ReportGenerateArgs args)
    {
        var report = _services.GetServices<IReport>().Single(r => r.Name == args.Report);
        var rendered = await report.RenderAsync(args, DateTimeOffset.UtcNow, default);
        var pdf = await _services.GetRequiredService<ReportPrinter>().PrintAsync(rendered.Html, default);
        return await PdfText.ExtractAsync(pdf);
    }
}
