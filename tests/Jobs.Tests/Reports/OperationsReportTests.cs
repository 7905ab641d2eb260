using JobPlatform.Core;
using JobPlatform.Jobs.Reports;
using JobPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Jobs.Tests.Reports;

[Collection(ChromiumCollection.Name)]
public sealed class OperationsReportTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private readonly string _blobs = Directory.CreateTempSubdirectory("jobplatform-reports-").FullName;
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _services = ReportServices.Build(_db, _blobs, chromium.Browser);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_blobs, recursive: true);
    }

    [Fact]
    public async Task The_report_shows_jobs_per_queue_and_kind_failures_and_a_chart_from_jobs_a_real_engine_worked()
    {
        var client = _db.CreateClient();
        var registry = new JobHandlerRegistry().Register<FlakyArgs>((_, _, _) => throw new DiscardJobException("flaky on purpose: the gateway said no"));
        var options = _db.EngineOptions();
        options.Queues = new() { ["alpha"] = 5, ["beta"] = 5 };
        var ids = new List<Guid>();
        await using (var engine = new JobEngine(_db.DataSource, options, registry))
        {
            await engine.StartAsync();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "alpha" })).Id);
            }

            for (var i = 0; i < 2; i++)
            {
                ids.Add((await client.EnqueueAsync(new FlakyArgs(), new EnqueueOptions { Queue = "beta" })).Id);
            }

            ids.Add((await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "beta" })).Id);
            await TestDatabase.WaitUntilAsync(async () =>
            {
                var jobs = await Task.WhenAll(ids.Select(id => client.GetAsync(id)));
                return jobs.All(j => j!.State is JobState.Completed or JobState.Discarded);
            }, TimeSpan.FromSeconds(30), "the six test jobs to finish");
        }

        // A waiting job shows up in the backlog.
        await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "gamma" });

        var report = _services.GetServices<IReport>().Single(r => r.Name == ReportNames.Operations);
        var now = DateTimeOffset.UtcNow;
        var rendered = await report.RenderAsync(
            new ReportGenerateArgs { Report = ReportNames.Operations, From = now.AddHours(-1), To = now.AddMinutes(2) }, now, default);
        var text = await PdfText.ExtractAsync(await _services.GetRequiredService<ReportPrinter>().PrintAsync(rendered.Html, default));

        Assert.Contains("Operations report", text);
        // The table: queue, kind, completed, failed, discarded, cancelled, snoozed.
        Assert.Matches(@"alpha\s+platform\.noop\s+3\s+0\s+0\s+0\s+0", text);
        Assert.Matches(@"beta\s+platform\.noop\s+1\s+0\s+0\s+0\s+0", text);
        Assert.Matches(@"beta\s+reports\.test\.flaky\s+0\s+0\s+2\s+0\s+0", text);
        Assert.Matches(@"Total\s+4\s+0\s+2\s+0\s+0", text);
        // The chart: its caption, and SVG text labels with completed / failed values per bar.
        Assert.Contains("Jobs per queue and kind (completed / failed + discarded)", text);
        Assert.Matches(@"alpha · platform\.noop\s+3\s*/\s*0", text);
        Assert.Matches(@"beta · reports\.test\.flaky\s+0\s*/\s*2", text);
        // Latency of the retained jobs, the failure and the backlog.
        Assert.Matches(@"alpha\s+platform\.noop\s+3\s+[\d.]+ (ms|s)", text);
        Assert.Matches(@"beta\s+reports\.test\.flaky\s+flaky on purpose: the gateway said no\s+2", text);
        Assert.Matches(@"gamma\s+1\s+0\s+0", text);
    }

    [Fact]
    public async Task An_empty_range_says_so_instead_of_failing()
    {
        var report = _services.GetServices<IReport>().Single(r => r.Name == ReportNames.Operations);
        var rendered = await report.RenderAsync(new ReportGenerateArgs { Report = ReportNames.Operations }, DateTimeOffset.UtcNow, default);
        var text = await PdfText.ExtractAsync(await _services.GetRequiredService<ReportPrinter>().PrintAsync(rendered.Html, default));

        Assert.Contains("No jobs finished in this period.", text);
        Assert.Contains("No jobs were discarded in this period.", text);
    }

    [Fact]
    public async Task A_backwards_or_too_long_range_is_discarded()
    {
        var report = _services.GetServices<IReport>().Single(r => r.Name == ReportNames.Operations);
        var now = DateTimeOffset.UtcNow;

        var backwards = await Assert.ThrowsAsync<DiscardJobException>(() => report.RenderAsync(
            new ReportGenerateArgs { Report = ReportNames.Operations, From = now, To = now.AddHours(-1) }, now, default));
        Assert.Contains("must be before to", backwards.Message);
        var tooLong = await Assert.ThrowsAsync<DiscardJobException>(() => report.RenderAsync(
            new ReportGenerateArgs { Report = ReportNames.Operations, From = now.AddDays(-40), To = now }, now, default));
        Assert.Contains("the limit is 31 days", tooLong.Message);
    }
}

/// <summary>A kind whose handler always discards, to put failures into the report.</summary>
internal sealed record FlakyArgs : IJobArgs
{
    public static string Kind => "reports.test.flaky";
}
