using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;
using JobPlatform.Jobs.Schema;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary><c>email.send</c> through the real engine (in process) and a real SMTP server.</summary>
public sealed class EmailEngineTests
{
    private static readonly JobKindOptions FastRetry = new()
    {
        Timeout = TimeSpan.FromSeconds(30),
        Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), JitterFraction = 0 },
    };

    [Fact]
    public async Task Enqueued_email_is_sent_and_the_job_completes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, dataSource: db.DataSource, schema: db.Schema,
            configure: o => o.RateLimit = new() { PerSecond = 100 });
        await JobsModuleMigration.CreateMigrator(db.DataSource, db.Schema).MigrateAsync();
        await using var engine = await StartAsync(db, kit);
        var client = db.CreateClient();

        var id = (await client.EnqueueAsync(new EmailSendArgs
        {
            To = "ann@example.com",
            Template = EmailTemplates.Receipt,
            Model = new Dictionary<string, string> { ["customer"] = "Ann", ["invoice"] = "INV-1", ["amount"] = "€5.00", ["period"] = "2026-11" },
        })).Id;

        var job = await WaitAsync(client, id, j => j.State == JobState.Completed, "completed");
        Assert.Equal(1, job.Attempt);
        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal($"<{id}@jobplatform>", mail.Header("Message-ID"));
        Assert.Equal("Your receipt for 2026-11: €5.00", mail.Header("Subject"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT granted_total FROM {schema}.jobs_rate_limits"));
    }

    [Fact]
    public async Task Unknown_mailbox_discards_the_job_at_once_with_the_reply()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port);
        await using var engine = await StartAsync(db, kit);
        var client = db.CreateClient();

        var id = (await client.EnqueueAsync(new EmailSendArgs { To = "reject550@example.com", Subject = "Hi", Text = "x" })).Id;

        var job = await WaitAsync(client, id, j => j.State == JobState.Discarded, "discarded");
        Assert.Equal(1, job.Attempt);
        var error = Assert.Single(job.Errors);
        Assert.Contains("550", error.Message);
        Assert.Contains("User unknown", error.Message);
    }

    [Fact]
    public async Task Temporary_failure_is_retried_then_snoozed_while_the_breaker_is_open()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var server = await SmtpTestServer.StartAsync();
        // One attempt makes two calls (one in-process retry); two failed calls open the breaker for 30 s.
        await using var kit = new EmailTestKit(server.Port, new DependencyOptions
        {
            MaxRetryAttempts = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MinimumThroughput = 2,
            BreakDuration = TimeSpan.FromSeconds(30),
        });
        await using var engine = await StartAsync(db, kit);
        var client = db.CreateClient();

        var id = (await client.EnqueueAsync(new EmailSendArgs { To = "defer451@example.com", Subject = "Hi", Text = "x" })).Id;

        // Attempt 1 fails transiently (retryable, error kept); attempt 2 finds the breaker open and is snoozed,
        // which gives the attempt back: scheduled about 30 s ahead with still one error and attempt 1.
        var job = await WaitAsync(client, id, j => j.State == JobState.Scheduled, "scheduled (snoozed)");
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, kit.Smtp.State);
        Assert.Equal(1, job.Attempt);
        var error = Assert.Single(job.Errors);
        Assert.Contains("451", error.Message);
        Assert.InRange((job.ScheduledAt - DateTimeOffset.UtcNow).TotalSeconds, 15, 32);
        Assert.Equal(1, kit.Smtp.Snoozes);
        Assert.Equal(0, server.Count);
    }

    private static async Task<JobEngine> StartAsync(TestDatabase db, EmailTestKit kit)
    {
        var handlers = new JobHandlerRegistry().Register<EmailSendArgs>(kit.Handler, FastRetry);
        var engine = new JobEngine(db.DataSource, db.EngineOptions(), handlers, jitter: () => 0.5);
        await engine.StartAsync();
        return engine;
    }

    private static async Task<Job> WaitAsync(JobClient client, Guid id, Func<Job, bool> predicate, string what)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () =>
        {
            job = await client.GetAsync(id);
            return job is not null && predicate(job);
        }, TimeSpan.FromSeconds(30), $"job {id} to be {what} (last seen: {job?.State}, errors: {string.Join(" | ", job?.Errors.Select(e => e.Message) ?? [])})");
        return job!;
    }
}
