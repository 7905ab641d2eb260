using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Jobs.Blobs;
using JobPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary><c>report.generate</c> jobs run by a real in-process engine, with the handler wired as in the worker.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ReportJobTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Queue = "reports";
    private readonly string _blobs = Directory.CreateTempSubdirectory("jobplatform-reports-").FullName;
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private JobEngine _engine = null!;
    private JobClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _client = _db.CreateClient();
        _services = ReportServices.Build(_db, _blobs, chromium.Browser, new Dictionary<string, string?>
        {
            ["Reports:LinkBaseUrl"] = "https://files.example.com/",
            ["Reports:EmailQueue"] = "mail",
        });
        // Only the reports queue is served: the email jobs stay where the handler put them, to be inspected.
        var options = _db.EngineOptions(queue: Queue);
        _engine = new JobEngine(_db.DataSource, options, new JobHandlerRegistry().AddReportHandler(_services));
        await _engine.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_blobs, recursive: true);
    }

    [Fact]
    public async Task A_report_job_stores_the_pdf_then_enqueues_one_email_even_when_run_again()
    {
        var id = (await _client.EnqueueAsync(new ReportGenerateArgs
        {
            Report = ReportNames.Operations,
            Destination = "reports/ops-2026-11.pdf",
            EmailTo = "ops@example.com",
            Title = "Operations November",
        }, new EnqueueOptions { Queue = Queue })).Id;
        var firstRun = await WaitForStateAsync(id, JobState.Completed);

        var blobs = _services.GetRequiredService<IBlobStore>();
        await using (var stored = await blobs.OpenReadAsync("reports/ops-2026-11.pdf"))
        {
            var bytes = new MemoryStream();
            await stored.CopyToAsync(bytes);
            Assert.Contains("Operations November", await PdfText.ExtractAsync(bytes.ToArray()));
        }

        var email = Assert.Single(await _client.ListAsync(new JobListQuery { Kind = EmailSendArgs.Kind }));
        Assert.Equal("mail", email.Queue);
        Assert.Equal(JobState.Available, email.State);
        var args = JsonSerializer.Deserialize<EmailSendArgs>(email.ArgsJson)!;
        Assert.Equal("ops@example.com", args.To);
        Assert.Equal(EmailTemplates.ReportReady, args.Template);
        Assert.Equal("Operations November", args.Model!["title"]);
        Assert.Equal("https://files.example.com/reports/ops-2026-11.pdf", args.Model["link"]);
        var attachment = Assert.Single(args.Attachments!);
        Assert.Equal(new EmailAttachment("reports/ops-2026-11.pdf", "ops-2026-11.pdf", "application/pdf"), attachment);

        // An operator's retry runs the whole job again: the PDF is rewritten, the email is not sent twice.
        Assert.Equal(RetryOutcome.Retried, await _client.RetryAsync(id));
        await TestDatabase.WaitUntilAsync(async () => await _client.GetAsync(id) is { State: JobState.Completed } again && again.FinalizedAt > firstRun.FinalizedAt,
            TimeSpan.FromSeconds(60), "the retried report job to complete again");
        Assert.Single(await _client.ListAsync(new JobListQuery { Kind = EmailSendArgs.Kind }));
    }

    [Fact]
    public async Task Without_a_destination_the_pdf_goes_under_reports_by_job_id_and_no_email_is_sent()
    {
        var id = (await _client.EnqueueAsync(new ReportGenerateArgs { Report = ReportNames.Operations }, new EnqueueOptions { Queue = Queue })).Id;
        await WaitForStateAsync(id, JobState.Completed);

        Assert.NotNull(await _services.GetRequiredService<IBlobStore>().GetInfoAsync($"reports/operations/{id:N}.pdf"));
        Assert.Empty(await _client.ListAsync(new JobListQuery { Kind = EmailSendArgs.Kind }));
    }

    [Theory]
    [InlineData("""{"report": "sales"}""", "report 'sales' is unknown; use one of: operations, statement")]
    [InlineData("""{"report": "operations", "destination": "../../etc/passwd"}""", "destination '../../etc/passwd' has an empty, '.' or '..' segment")]
    [InlineData("""{"report": "statement", "period": "2026-11"}""", "needs customerId")]
    [InlineData("""{"destination": "reports/x.pdf"}""", "report")]
    public async Task Bad_args_discard_the_job_at_once_with_a_clear_message(string argsJson, string expected)
    {
        var id = (await _client.EnqueueAsync(new JobInsert(ReportGenerateArgs.Kind, argsJson, new EnqueueOptions { Queue = Queue }))).Id;

        var job = await WaitForStateAsync(id, JobState.Discarded);
        Assert.Equal(1, job.Attempt);
        Assert.Contains(expected, job.Errors[^1].Message);
    }

    [Fact]
    public void A_customer_id_may_be_a_json_number_or_string()
    {
        Assert.Equal("42", JsonSerializer.Deserialize<ReportGenerateArgs>("""{"report": "statement", "customerId": 42}""")!.CustomerId);
        Assert.Equal("c-7", JsonSerializer.Deserialize<ReportGenerateArgs>("""{"report": "statement", "customerId": "c-7"}""")!.CustomerId);
    }

    private async Task<Job> WaitForStateAsync(Guid id, JobState state)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () =>
        {
            job = await _client.GetAsync(id);
            return job?.State == state;
        }, TimeSpan.FromSeconds(60), $"report job {id} to be {state}");
        return job!;
    }
}
