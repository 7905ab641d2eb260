using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Worker.Tests;

/// <summary>The worker host as operators meet it: health, metrics, logs, configuration errors.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task Worker_migrates_serves_health_and_metrics_and_logs_json()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-h", concurrency: 4,
            new Dictionary<string, string> { ["JobPlatform__Logging__Format"] = "json" });
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            var client = db.CreateClient();
            var ok = await client.EnqueueAsync(new NoopArgs());
            var failing = await client.EnqueueAsync(new NoopArgs(Fail: true), new EnqueueOptions { MaxAttempts = 1 });
            await TestDatabase.WaitUntilAsync(async () => (await client.GetAsync(ok.Id))!.State == JobState.Completed
                && (await client.GetAsync(failing.Id))!.State == JobState.Discarded, TimeSpan.FromSeconds(20), "both finished");

            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/health/live")).StatusCode);
            var ready = await http.GetStringAsync($"http://127.0.0.1:{port}/health/ready");
            Assert.Contains("\"status\":\"Healthy\"", ready);
            Assert.Contains("\"database\"", ready);
            var metrics = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
            Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Matches("jobplatform_jobs_finished_total\\{[^}]*outcome=\"completed\"[^}]*\\} 1", text);
            Assert.Matches("jobplatform_jobs_finished_total\\{[^}]*outcome=\"discarded\"[^}]*\\} 1", text);
            Assert.Contains("jobplatform_job_duration_seconds_bucket", text);
            Assert.Contains("jobplatform_fetch_batch_size_bucket", text);
            Assert.Contains("jobplatform_jobs_in_flight", text);
            // The names, types and labels dashboards and alert rules use, as the hand-written exporter served them.
            Assert.Empty(MetricFamilies.Mismatches(text, MetricFamilies.Worker,
                "jobplatform_completer_batches_total", "jobplatform_dependency_breaker_state", "jobplatform_dependency_snoozes_total",
                "jobplatform_fetch_batch_size", "jobplatform_job_duration_seconds", "jobplatform_jobs_finished_total", "jobplatform_jobs_in_flight"));

            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var jsonLines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
            // The worker runs every catalogue kind by default, and says so when it starts.
            var started = Assert.Single(jsonLines, l => l.Contains("started on queues", StringComparison.Ordinal));
            foreach (var kind in new[] { "billing.charge", "billing.run", "email.send", "image.thumbnail", "image.transform", "platform.noop", "report.generate" })
            {
                Assert.Contains(kind, started);
            }

            // Every dependency's breaker is on /metrics from the start, closed.
            foreach (var dependency in new[] { "smtp", "payment-gateway", "chromium" })
            {
                Assert.Contains($"jobplatform_dependency_breaker_state{{dependency=\"{dependency}\"}} 0", text);
            }

            Assert.All(jsonLines, l => System.Text.Json.JsonDocument.Parse(l).Dispose());
            Assert.Contains(jsonLines, l => l.Contains("was asked to fail", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Bad_setting_fails_the_start_naming_the_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (worker, _) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-bad", concurrency: 4,
            new Dictionary<string, string> { ["JobPlatform__Worker__Tuning__FetchBatchMax"] = "0", ["JobPlatform__Worker__Queues__Emails!"] = "5" });
        using (worker)
        {
            Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("JobPlatform:Worker:Tuning:FetchBatchMax is 0", worker.Output);
            Assert.Contains("JobPlatform:Worker:Queues:emails!", worker.Output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Missing_connection_string_fails_the_start_saying_what_to_set()
    {
        var (worker, _) = WorkerProcess.Start("", "jobplatform", "worker-none", concurrency: 1);
        using (worker)
        {
            Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("ConnectionStrings__JobPlatform", worker.Output);
        }
    }

    [Fact]
    public async Task Connection_string_password_never_appears_in_logs()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Wrong port and a password: the worker fails to reach PostgreSQL and must not print the secret.
        var (worker, _) = WorkerProcess.Start("Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2-secret;Timeout=2", db.Schema, "worker-secret", concurrency: 1);
        using (worker)
        {
            await Task.WhenAny(worker.WaitForExitAsync(TimeSpan.FromSeconds(60)), Task.Delay(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain("hunter2-secret", worker.Output);
        }
    }
}
