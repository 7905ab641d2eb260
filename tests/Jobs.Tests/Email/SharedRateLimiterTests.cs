using JobPlatform.Core;
using JobPlatform.Jobs.Email;
using JobPlatform.Jobs.Schema;
using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Email;

/// <summary>
/// The shared token bucket on a real PostgreSQL. Assertions are on counts the database clock logic grants, never
/// on wall-clock durations: rates are chosen so that the time the test itself takes cannot add a token.
/// </summary>
public sealed class SharedRateLimiterTests
{
    private const double OnePerMinute = 1.0 / 60;

    [Fact]
    public async Task Concurrent_takers_on_a_frozen_bucket_get_exactly_burst_tokens()
    {
        await using var db = await CreateAsync();
        var limiter = new SharedRateLimiter(db.DataSource, db.Schema);
        const int burst = 5;

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Task.Run(() => limiter.TryTakeAsync("smtp:test", 1e-9, burst, CancellationToken.None))));

        Assert.Equal(burst, decisions.Count(d => d.Granted));
        Assert.All(decisions.Where(d => !d.Granted), d => Assert.True(d.Wait > TimeSpan.FromHours(1), $"wait {d.Wait}"));
        Assert.Equal(burst, await db.ScalarAsync<long>("SELECT granted_total FROM {schema}.jobs_rate_limits WHERE name = 'smtp:test'"));
        Assert.Equal(40 - burst, await db.ScalarAsync<long>("SELECT denied_total FROM {schema}.jobs_rate_limits WHERE name = 'smtp:test'"));
    }

    [Fact]
    public async Task Tokens_refill_by_elapsed_database_time_up_to_the_burst()
    {
        await using var db = await CreateAsync();
        var limiter = new SharedRateLimiter(db.DataSource, db.Schema);
        Assert.True((await limiter.TryTakeAsync("b", OnePerMinute, 3, CancellationToken.None)).Granted);
        Assert.True((await limiter.TryTakeAsync("b", OnePerMinute, 3, CancellationToken.None)).Granted);
        Assert.True((await limiter.TryTakeAsync("b", OnePerMinute, 3, CancellationToken.None)).Granted);
        var empty = await limiter.TryTakeAsync("b", OnePerMinute, 3, CancellationToken.None);
        Assert.False(empty.Granted);
        Assert.InRange(empty.Wait.TotalSeconds, 50, 60);

        // Pretend 150 s passed since the last refill: 2.5 tokens at one a minute.
        await db.ExecuteAsync("UPDATE {schema}.jobs_rate_limits SET refilled_at = refilled_at - interval '150 seconds'");
        Assert.Equal(new[] { true, true, false }, await TakeAsync(limiter, "b", OnePerMinute, 3, 3));

        // An hour of quiet refills only up to the burst.
        await db.ExecuteAsync("UPDATE {schema}.jobs_rate_limits SET refilled_at = refilled_at - interval '1 hour'");
        Assert.Equal(new[] { true, true, true, false }, await TakeAsync(limiter, "b", OnePerMinute, 3, 4));
    }

    [Fact]
    public async Task Buckets_are_independent_by_name()
    {
        await using var db = await CreateAsync();
        var limiter = new SharedRateLimiter(db.DataSource, db.Schema);
        Assert.Equal(new[] { true, false }, await TakeAsync(limiter, "smtp:a", 1e-9, 1, 2));
        Assert.Equal(new[] { true, false }, await TakeAsync(limiter, "smtp:b", 1e-9, 1, 2));
    }

    [Fact]
    public async Task A_long_wait_snoozes_the_job_for_about_that_wait()
    {
        await using var db = await CreateAsync();
        var limiter = new SharedRateLimiter(db.DataSource, db.Schema);
        await limiter.TakeOrSnoozeAsync("b", OnePerMinute, 1, TimeSpan.FromSeconds(1), CancellationToken.None);

        var e = await Assert.ThrowsAsync<SnoozeJobException>(() => limiter.TakeOrSnoozeAsync("b", OnePerMinute, 1, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.InRange(e.Delay.TotalSeconds, 50, 61);
        Assert.Contains("Rate limit 'b'", e.Message);
    }

    [Fact]
    public async Task A_short_wait_is_waited_out_in_process()
    {
        await using var db = await CreateAsync();
        var limiter = new SharedRateLimiter(db.DataSource, db.Schema);
        // 50 per second, burst 1: the second take needs about 20 ms, well under the 5 s allowed in process.
        await limiter.TakeOrSnoozeAsync("b", 50, 1, TimeSpan.FromSeconds(5), CancellationToken.None);
        await limiter.TakeOrSnoozeAsync("b", 50, 1, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT granted_total FROM {schema}.jobs_rate_limits WHERE name = 'b'"));
    }

    [Fact]
    public async Task Rate_limited_email_handler_snoozes_when_the_shared_bucket_is_empty()
    {
        await using var db = await CreateAsync();
        await using var server = await SmtpTestServer.StartAsync();
        await using var kit = new EmailTestKit(server.Port, configure: o => o.RateLimit = new EmailRateLimitOptions { PerSecond = OnePerMinute, Burst = 1 },
            dataSource: db.DataSource, schema: db.Schema);
        var args = new EmailSendArgs { To = "ann@example.com", Subject = "Hi", Text = "x" };
        await kit.Handler.SendAsync(args, Guid.CreateVersion7(), CancellationToken.None);

        var e = await Assert.ThrowsAsync<SnoozeJobException>(() => kit.Handler.SendAsync(args, Guid.CreateVersion7(), CancellationToken.None));
        Assert.Contains($"Rate limit 'smtp:127.0.0.1:{server.Port}'", e.Message);
        Assert.Equal(1, server.Count);
    }

    private static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await JobsModuleMigration.CreateMigrator(db.DataSource, db.Schema).MigrateAsync();
        return db;
    }

    private static async Task<bool[]> TakeAsync(SharedRateLimiter limiter, string bucket, double rate, double burst, int count)
    {
        var results = new bool[count];
        for (var i = 0; i < count; i++)
        {
            results[i] = (await limiter.TryTakeAsync(bucket, rate, burst, CancellationToken.None)).Granted;
        }

        return results;
    }
}
