using System.Text;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class ClientTests
{
    [Fact]
    public async Task Enqueue_now_is_available_and_keeps_every_option()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var result = await client.EnqueueAsync(new TestArgs("ok", 7), new EnqueueOptions
        {
            Queue = "emails", Priority = 3, MaxAttempts = 4, Timeout = TimeSpan.FromSeconds(9),
            Tags = ["a", "b"], TenantId = "acme",
        });
        var job = (await client.GetAsync(result.Id))!;
        Assert.False(result.Duplicate);
        Assert.Equal(7, result.Id.Version);
        Assert.Equal((JobState.Available, "emails", 3, 4, "acme"), (job.State, job.Queue, job.Priority, job.MaxAttempts, job.TenantId));
        Assert.Equal(TimeSpan.FromSeconds(9), job.Timeout);
        Assert.Equal(["a", "b"], job.Tags);
        Assert.Equal("test.args", job.Kind);
        Assert.Contains("\"value\":7", job.ArgsJson.Replace(" ", ""));
    }

    [Fact]
    public async Task Enqueue_with_delay_or_time_is_scheduled()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var delayed = await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromHours(1));
        var at = await client.EnqueueAsync(new NoopArgs(), DateTimeOffset.UtcNow.AddDays(1));
        var past = await client.EnqueueAsync(new NoopArgs(), DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(JobState.Scheduled, (await client.GetAsync(delayed.Id))!.State);
        Assert.Equal(JobState.Scheduled, (await client.GetAsync(at.Id))!.State);
        Assert.Equal(JobState.Available, (await client.GetAsync(past.Id))!.State);
    }

    public static TheoryData<string, EnqueueOptions, string> BadOptions => new()
    {
        { "queue", new EnqueueOptions { Queue = "Bad Queue!" }, "Queue name 'Bad Queue!' is not valid" },
        { "queue-long", new EnqueueOptions { Queue = new string('q', 65) }, "1-64 characters" },
        { "priority", new EnqueueOptions { Priority = 10 }, "Priority 10 is out of range: use 0" },
        { "attempts", new EnqueueOptions { MaxAttempts = 0 }, "MaxAttempts 0 is out of range" },
        { "timeout", new EnqueueOptions { Timeout = TimeSpan.Zero }, "Timeout" },
        { "both", new EnqueueOptions { Delay = TimeSpan.FromSeconds(1), ScheduledAt = DateTimeOffset.UtcNow }, "set one of them" },
        { "tags", new EnqueueOptions { Tags = Enumerable.Range(0, 21).Select(i => $"t{i}").ToList() }, "the limit is 20" },
        { "unique", new EnqueueOptions { Unique = new UniqueOptions { Key = "" } }, "Unique key" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_options_are_rejected_with_a_clear_error_and_nothing_is_written(string name, EnqueueOptions options, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.EnqueueAsync(new NoopArgs(), options));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
        Assert.NotNull(name);
    }

    [Fact]
    public async Task Args_over_the_limit_are_rejected_naming_size_limit_and_setting()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var big = new TestArgs(new string('x', 300 * 1024));
        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.EnqueueAsync(big));
        Assert.Contains("the limit is 256 KiB (JobPlatform:Client:MaxArgsBytes)", e.Message);
        Assert.Contains("300", e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Theory]
    [InlineData("Email.Send", "{}", "Kind 'Email.Send' is not valid")]
    [InlineData("email.send", "[1,2]", "must be a JSON object")]
    [InlineData("email.send", "{not json", "not valid JSON")]
    [InlineData("email.send", "", "are empty")]
    public async Task Raw_inserts_with_bad_kind_or_args_are_rejected(string kind, string args, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.EnqueueAsync(new JobInsert(kind, args)));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Non_serializable_args_are_rejected_with_a_clear_error()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var cyclic = new CyclicArgs();
        cyclic.Self = cyclic;
        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.EnqueueAsync(cyclic));
        Assert.Contains("cannot be serialized to JSON", e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task One_bad_item_in_a_batch_writes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var inserts = Enumerable.Range(0, 500).Select(i => new JobInsert("platform.noop", "{}", new EnqueueOptions { Priority = i == 321 ? 42 : 0 }));
        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.EnqueueManyAsync(inserts));
        Assert.StartsWith("Item 321 of the batch: Priority 42", e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Transactional_enqueue_rolled_back_leaves_no_job_and_committed_one_stays()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var rolledBack = await client.EnqueueAsync(tx, new NoopArgs());
            await client.EnqueueManyAsync(tx, Enumerable.Range(0, 150).Select(_ => new JobInsert("platform.noop", "{}")));
            Assert.Null(await client.GetAsync(rolledBack.Id)); // not visible outside the transaction
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var committed = await client.EnqueueAsync(tx, new NoopArgs());
            await tx.CommitAsync();
            Assert.Equal(JobState.Available, (await client.GetAsync(committed.Id))!.State);
        }
    }

    [Fact]
    public async Task Unique_key_under_concurrent_inserts_yields_one_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var options = new EnqueueOptions { Unique = new UniqueOptions { Key = "invoice:42" } };
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => client.EnqueueAsync(new NoopArgs(), options))));
        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Unique_states_decide_whether_finished_jobs_block()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var blocking = new EnqueueOptions { Unique = new UniqueOptions { Key = "k1" } };
        var unfinishedOnly = new EnqueueOptions { Unique = new UniqueOptions { Key = "k2", States = UniqueStates.Unfinished } };
        var a = await client.EnqueueAsync(new NoopArgs(), blocking);
        var b = await client.EnqueueAsync(new NoopArgs(), unfinishedOnly);
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'completed', finalized_at = now()");
        var a2 = await client.EnqueueAsync(new NoopArgs(), blocking);
        var b2 = await client.EnqueueAsync(new NoopArgs(), unfinishedOnly);
        Assert.Equal((a.Id, true), (a2.Id, a2.Duplicate));
        Assert.False(b2.Duplicate);
        Assert.NotEqual(b.Id, b2.Id);
    }

    [Fact]
    public async Task Unique_period_dedupes_within_the_period_only()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 10, 0, 5, TimeSpan.Zero));
        var client = db.CreateClient(time: time);
        var options = new EnqueueOptions { Unique = new UniqueOptions { Key = "report", Period = TimeSpan.FromHours(1) } };
        var first = await client.EnqueueAsync(new NoopArgs(), options);
        time.Now = time.Now.AddMinutes(30);
        Assert.True((await client.EnqueueAsync(new NoopArgs(), options)).Duplicate);
        time.Now = time.Now.AddMinutes(30);
        var nextHour = await client.EnqueueAsync(new NoopArgs(), options);
        Assert.False(nextHour.Duplicate);
        Assert.Equal("report@2026-01-01T10:00:00Z", (await client.GetAsync(first.Id))!.UniqueKey);
    }

    [Fact]
    public async Task Bulk_enqueue_of_100k_jobs_uses_copy_and_wakes_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var results = await client.EnqueueManyAsync(Enumerable.Range(0, 100_000).Select(i => new NoopArgs(SleepMs: i % 3)));
        Assert.Equal(100_000, results.Count);
        Assert.Equal(100_000, results.Select(r => r.Id).Distinct().Count());
        Assert.Equal(100_000, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'available' AND kind = 'platform.noop'"));
    }

    [Fact]
    public async Task Bulk_enqueue_with_unique_keys_reports_duplicates()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var existing = await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Unique = new UniqueOptions { Key = "u-3" } });
        var inserts = Enumerable.Range(0, 6).Select(i => new JobInsert("platform.noop", "{}", new EnqueueOptions { Unique = new UniqueOptions { Key = $"u-{i % 5}" } }));
        var results = await client.EnqueueManyAsync(inserts);
        Assert.Equal(6, results.Count);
        Assert.Equal(existing.Id, results[3].Id);
        Assert.True(results[3].Duplicate);
        Assert.True(results[5].Duplicate);
        Assert.Equal(results[0].Id, results[5].Id);
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Cancel_and_retry_move_waiting_and_finished_jobs()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var job = await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromHours(1));
        Assert.Equal(CancelOutcome.Cancelled, await client.CancelAsync(job.Id));
        Assert.Equal(JobState.Cancelled, (await client.GetAsync(job.Id))!.State);
        Assert.Equal(CancelOutcome.AlreadyFinal, await client.CancelAsync(job.Id));
        Assert.Equal(CancelOutcome.NotFound, await client.CancelAsync(Guid.NewGuid()));
        Assert.Equal(RetryOutcome.Retried, await client.RetryAsync(job.Id));
        var retried = (await client.GetAsync(job.Id))!;
        Assert.Equal(JobState.Available, retried.State);
        Assert.Null(retried.FinalizedAt);
        Assert.Equal(RetryOutcome.AlreadyPending, await client.RetryAsync(job.Id));
        Assert.Equal(RetryOutcome.NotFound, await client.RetryAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Retry_of_an_exhausted_job_grants_one_more_attempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var job = await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { MaxAttempts = 2 });
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'discarded', attempt = 2, finalized_at = now()");
        await client.RetryAsync(job.Id);
        var retried = (await client.GetAsync(job.Id))!;
        Assert.Equal((JobState.Available, 2, 3), (retried.State, retried.Attempt, retried.MaxAttempts));
    }

    [Fact]
    public async Task Stats_count_states_queues_and_pause()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.EnqueueManyAsync(Enumerable.Range(0, 3).Select(_ => new NoopArgs()), new EnqueueOptions { Queue = "a" });
        await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromHours(1));
        await client.PauseQueueAsync("idle");
        var stats = await client.GetStatsAsync();
        Assert.Equal(3, stats.States[JobState.Available]);
        Assert.Equal(1, stats.States[JobState.Scheduled]);
        Assert.Equal(7, stats.States.Count);
        var a = stats.Queues.Single(q => q.Name == "a");
        Assert.Equal((3L, 0L, false), (a.Available, a.Running, a.Paused));
        Assert.True(stats.Queues.Single(q => q.Name == "idle").Paused);
        Assert.Equal(1, stats.Queues.Single(q => q.Name == "default").Waiting);
        await client.ResumeQueueAsync("idle");
        Assert.False((await client.GetStatsAsync()).Queues.Single(q => q.Name == "idle").Paused);
    }

    [Fact]
    public async Task List_filters_by_kind_state_and_queue()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "q1" });
        await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { Queue = "q2" });
        await client.EnqueueAsync(new TestArgs(), TimeSpan.FromHours(1));
        Assert.Equal(2, (await client.ListAsync(new JobListQuery { Kind = "test.args" })).Count);
        Assert.Single(await client.ListAsync(new JobListQuery { State = JobState.Scheduled }));
        Assert.Single(await client.ListAsync(new JobListQuery { Queue = "q1" }));
        Assert.Equal(3, (await client.ListAsync()).Count);
        await Assert.ThrowsAsync<JobValidationException>(() => client.ListAsync(new JobListQuery { Limit = 0 }));
    }

    private sealed class CyclicArgs : IJobArgs
    {
        public static string Kind => "test.cyclic";

        public CyclicArgs? Self { get; set; }
    }
}

/// <summary>A settable clock.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
