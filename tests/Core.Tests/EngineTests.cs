using System.Collections.Concurrent;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

public sealed class EngineTests
{
    private static readonly JobKindOptions FastRetry = new() { Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), JitterFraction = 0 } };

    [Fact]
    public async Task Failed_attempt_is_retried_with_backoff_and_its_error_kept()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, ctx, ct) =>
            ctx.Attempt == 1 ? throw new InvalidOperationException("boom on first") : Task.CompletedTask, FastRetry);
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs())).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Completed);
        Assert.Equal(2, job.Attempt);
        var error = Assert.Single(job.Errors);
        Assert.Equal((1, "System.InvalidOperationException", "boom on first", engine.Engine.WorkerId), (error.Attempt, error.Type, error.Message, error.Worker));
        Assert.Contains("EngineTests", error.Stack);
    }

    [Fact]
    public async Task Job_failing_every_attempt_is_discarded_after_max_attempts()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, _, _) => throw new TimeoutException("smtp down"), FastRetry);
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { MaxAttempts = 3 })).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Discarded);
        Assert.Equal(3, job.Attempt);
        Assert.Equal([1, 2, 3], job.Errors.Select(e => e.Attempt));
        Assert.NotNull(job.FinalizedAt);
    }

    [Fact]
    public async Task Retryable_state_waits_for_the_backoff_delay()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var slow = new JobKindOptions { Retry = new RetryPolicy { BaseDelay = TimeSpan.FromHours(1), JitterFraction = 0 } };
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, _, _) => throw new InvalidOperationException("x"), slow);
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs())).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Retryable);
        var wait = job.ScheduledAt - job.Errors[0].At;
        Assert.InRange(wait.TotalMinutes, 59, 61);
    }

    [Fact]
    public async Task Discard_exception_discards_at_once_without_retrying()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, _, _) => throw new DiscardJobException("550 unknown mailbox"));
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs())).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Discarded);
        Assert.Equal(1, job.Attempt);
        Assert.Equal("550 unknown mailbox", Assert.Single(job.Errors).Message);
    }

    [Fact]
    public async Task Args_that_do_not_fit_the_record_are_discarded_at_once_not_retried()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var ran = false;
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, _, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        }, FastRetry);
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new JobInsert(TestArgs.Kind, """{"Value":"not a number"}"""))).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Discarded);
        Assert.False(ran);
        Assert.Equal(1, job.Attempt);
        var error = Assert.Single(job.Errors);
        Assert.Contains("do not fit TestArgs", error.Message);
        Assert.Contains("Retrying cannot help", error.Message);
    }

    [Fact]
    public void Registry_validates_args_of_the_kinds_it_knows_and_admits_it_does_not_know_others()
    {
        var registry = new JobHandlerRegistry();
        Assert.True(registry.ValidateArgs("platform.noop", """{"sleepMs":5}"""));
        Assert.False(registry.ValidateArgs("email.send", "{}"));
        var e = Assert.Throws<JobValidationException>(() => registry.ValidateArgs("platform.noop", """{"fail":"yes"}"""));
        Assert.Contains("do not fit NoopArgs", e.Message);
    }

    [Fact]
    public async Task Snooze_reschedules_without_spending_the_attempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var runs = 0;
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, ctx, _) =>
        {
            if (Interlocked.Increment(ref runs) <= 2)
            {
                throw new SnoozeJobException(TimeSpan.FromMilliseconds(300), "breaker open");
            }

            return Task.CompletedTask;
        });
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { MaxAttempts = 1 })).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Completed);
        Assert.Equal(3, runs);
        Assert.Equal(1, job.Attempt);
        Assert.Empty(job.Errors);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT sum(snoozed) FROM {schema}.stats_minute"));
    }

    [Fact]
    public async Task Attempt_over_its_timeout_is_cancelled_and_retried()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var handlers = new JobHandlerRegistry().Register<TestArgs>(
            async (args, ctx, ct) => await Task.Delay(ctx.Attempt == 1 ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, ct), FastRetry);
        await using var engine = await EngineHarness.StartAsync(db, handlers);
        var id = (await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { Timeout = TimeSpan.FromMilliseconds(300) })).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Completed);
        var error = Assert.Single(job.Errors);
        Assert.Equal("JobPlatform.Timeout", error.Type);
        Assert.Contains("00:00:00.3", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_a_running_job_fires_its_token_by_notification_or_the_next_cancel_poll(bool pollOnly)
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient(new JobClientOptions { Notify = !pollOnly });
        var started = new TaskCompletionSource();
        var cancelledAt = new TaskCompletionSource<DateTime>();
        var handlers = new JobHandlerRegistry().Register<TestArgs>(async (_, _, ct) =>
        {
            await using var reg = ct.Register(() => cancelledAt.TrySetResult(DateTime.UtcNow));
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var engine = await EngineHarness.StartAsync(db, handlers, o => o.PollOnly = pollOnly);
        var id = (await client.EnqueueAsync(new TestArgs())).Id;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var requested = DateTime.UtcNow;
        Assert.Equal(CancelOutcome.CancellationRequested, await client.CancelAsync(id));
        var firedAt = await cancelledAt.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Without notifications the heartbeat looks for cancel requests every second; the bound only tells that
        // look-up (or the NOTIFY) apart from the job's 30-minute timeout or a shutdown, with room for a loaded machine.
        Assert.True(firedAt - requested < TimeSpan.FromSeconds(10), $"token fired after {firedAt - requested}");
        var job = await JobWait.ForStateAsync(client, id, JobState.Cancelled);
        Assert.Equal("JobPlatform.Cancelled", Assert.Single(job.Errors).Type);
    }

    [Fact]
    public async Task Job_of_unknown_kind_is_retried_with_a_clear_error_not_dropped()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var engine = await EngineHarness.StartAsync(db);
        var id = (await client.EnqueueAsync(new JobInsert("reports.future", "{}"))).Id;
        var job = await JobWait.ForStateAsync(client, id, JobState.Retryable);
        var error = Assert.Single(job.Errors);
        Assert.Equal("JobPlatform.UnknownKind", error.Type);
        Assert.Contains("No handler for kind 'reports.future'", error.Message);
        Assert.Contains("platform.noop", error.Message);
    }

    [Fact]
    public async Task Scheduled_job_runs_once_due()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var engine = await EngineHarness.StartAsync(db);
        var id = (await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromMilliseconds(700))).Id;
        Assert.Equal(JobState.Scheduled, (await client.GetAsync(id))!.State);
        var job = await JobWait.ForStateAsync(client, id, JobState.Completed);
        Assert.True(job.AttemptedAt >= job.ScheduledAt);
    }

    [Fact]
    public async Task Higher_priority_jobs_are_fetched_first()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var order = new ConcurrentQueue<int>();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, _, _) => { order.Enqueue(args.Value); return Task.CompletedTask; });
        await client.EnqueueManyAsync(Enumerable.Range(0, 20).Select(i => JobInsert.From(new TestArgs(Value: 9 - (i % 10)), new EnqueueOptions { Priority = 9 - (i % 10) })));
        await using var engine = await EngineHarness.StartAsync(db, handlers, o => o.Queues = new() { ["default"] = 1 });
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(order.Count == 20), TimeSpan.FromSeconds(20), "20 jobs");
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task Paused_queue_is_not_fetched_until_resumed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.PauseQueueAsync("default");
        await using var engine = await EngineHarness.StartAsync(db);
        var id = (await client.EnqueueAsync(new NoopArgs())).Id;
        await Task.Delay(800);
        Assert.Equal(JobState.Available, (await client.GetAsync(id))!.State);
        await client.ResumeQueueAsync("default");
        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 5);
    }

    [Fact]
    public async Task Graceful_stop_lets_short_jobs_finish_and_releases_long_ones_without_spending_attempts()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var running = 0;
        var handlers = new JobHandlerRegistry().Register<TestArgs>(async (args, _, ct) =>
        {
            Interlocked.Increment(ref running);
            await Task.Delay(args.Value, ct);
        });
        var engine = await EngineHarness.StartAsync(db, handlers, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(800));
        var quick = (await client.EnqueueAsync(new TestArgs(Value: 300))).Id;
        var slow = (await client.EnqueueAsync(new TestArgs(Value: 60_000))).Id;
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref running) == 2), TimeSpan.FromSeconds(10), "both running");
        await engine.Engine.StopAsync();
        Assert.Equal(JobState.Completed, (await client.GetAsync(quick))!.State);
        var released = (await client.GetAsync(slow))!;
        Assert.Equal((JobState.Available, 0), (released.State, released.Attempt));
        Assert.Empty(released.Errors);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.workers"));
        await engine.DisposeAsync();
    }

    [Fact]
    public async Task Two_engines_racing_on_one_queue_never_run_a_job_twice()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var runs = new ConcurrentDictionary<Guid, int>();
        JobHandlerRegistry Handlers() => new JobHandlerRegistry().Register<NoopArgs>((_, ctx, _) =>
        {
            runs.AddOrUpdate(ctx.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        await client.EnqueueManyAsync(Enumerable.Range(0, 5000).Select(_ => new NoopArgs()));
        await using var a = await EngineHarness.StartAsync(db, Handlers(), o => o.Tuning.FetchBatchMax = 50);
        await using var b = await EngineHarness.StartAsync(db, Handlers(), o => o.Tuning.FetchBatchMax = 50);
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'completed'") == 5000,
            TimeSpan.FromSeconds(60), "5000 completed");
        Assert.Equal(5000, runs.Count);
        Assert.All(runs.Values, n => Assert.Equal(1, n));
        var perWorker = await db.ScalarAsync<long>("SELECT count(DISTINCT attempted_by) FROM {schema}.jobs");
        Assert.Equal(2, perWorker);
    }

    [Fact]
    public async Task Running_jobs_of_a_lost_worker_are_rescued_and_rerun()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var job = (await client.EnqueueAsync(new NoopArgs())).Id;
        var last = (await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { MaxAttempts = 1 })).Id;
        // A worker that leased both jobs and then died: its heartbeat is a minute old.
        await db.ExecuteAsync("INSERT INTO {schema}.workers (id, host, pid, queues, heartbeat_at) VALUES ('dead', 'h', 1, '{default}', now() - interval '1 minute')");
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'dead'");
        await using var engine = await EngineHarness.StartAsync(db);
        var rescued = await JobWait.ForStateAsync(client, job, JobState.Completed);
        Assert.Equal(2, rescued.Attempt);
        var error = Assert.Single(rescued.Errors);
        Assert.Equal("JobPlatform.WorkerLost", error.Type);
        Assert.Contains("worker dead stopped heartbeating", error.Message);
        var exhausted = await JobWait.ForStateAsync(client, last, JobState.Discarded);
        Assert.Equal("JobPlatform.WorkerLost", Assert.Single(exhausted.Errors).Type);
    }

    [Fact]
    public async Task Running_jobs_of_a_live_worker_are_left_alone()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var id = (await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "elsewhere" })).Id;
        await db.ExecuteAsync("INSERT INTO {schema}.workers (id, host, pid, queues) VALUES ('alive', 'h', 1, '{elsewhere}')");
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'alive'");
        var sql = Sql.SqlCatalog.For(db.Schema);
        var rescuer = new Maintenance.JobRescuer(db.DataSource, sql, TimeSpan.FromSeconds(30), "me");
        Assert.Equal(0, await rescuer.RunOnceAsync(CancellationToken.None));
        Assert.Equal(JobState.Running, (await client.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Pruner_deletes_finished_jobs_past_retention_in_batches()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.EnqueueManyAsync(Enumerable.Range(0, 2500).Select(_ => new NoopArgs()));
        var fresh = (await client.EnqueueAsync(new NoopArgs())).Id;
        var waiting = (await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromDays(3))).Id;
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'completed', finalized_at = now() - interval '2 days' WHERE state = 'available'");
        await db.ExecuteAsync("UPDATE {schema}.jobs SET finalized_at = now() WHERE id = $1", fresh);
        var options = db.EngineOptions();
        options.Tuning.PruneBatchSize = 1000;
        var pruner = new Maintenance.JobPruner(db.DataSource, Sql.SqlCatalog.For(db.Schema), options);
        Assert.Equal(2500, await pruner.RunOnceAsync(CancellationToken.None));
        Assert.NotNull(await client.GetAsync(fresh));
        Assert.NotNull(await client.GetAsync(waiting));
    }

    [Fact]
    public async Task With_durable_commits_leases_and_outcomes_still_complete_jobs()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var engine = await EngineHarness.StartAsync(db, configure: o => o.AsyncCommit = false);
        var ids = await client.EnqueueManyAsync(Enumerable.Range(0, 200).Select(_ => new NoopArgs()));
        foreach (var r in ids)
        {
            await JobWait.ForStateAsync(client, r.Id, JobState.Completed);
        }
    }

    [Fact]
    public async Task Only_one_leader_holds_the_lease_and_another_takes_over_after_expiry()
    {
        await using var db = await TestDatabase.CreateAsync();
        var sql = Sql.SqlCatalog.For(db.Schema);
        Heartbeat.WorkerHeartbeat Worker(string id, bool candidate) => new(new Storage.WorkerStore(db.DataSource, sql, id), new Storage.HandOffStore(db.DataSource, sql),
            new JobEngineOptions { Schema = db.Schema, RunMaintenance = candidate, Tuning = new JobEngineTuning { LeaderLease = TimeSpan.FromMilliseconds(600) } },
            id, new Execution.RunningJobs(), null, _ => { }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var a = Worker("a", candidate: true);
        var b = Worker("b", candidate: true);
        var bystander = Worker("c", candidate: false);
        Assert.True(await a.BeatAsync(default));
        Assert.False(await b.BeatAsync(default));
        Assert.True(await a.BeatAsync(default));
        await Task.Delay(800);
        Assert.False(await bystander.BeatAsync(default));
        Assert.True(await b.BeatAsync(default));
        Assert.False(await a.BeatAsync(default));
        await b.ResignAndUnregisterAsync(default);
        Assert.True(await a.BeatAsync(default));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.workers"));
    }

    [Fact]
    public async Task Engine_rejects_bad_settings_naming_the_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var options = db.EngineOptions();
        options.Queues = new() { ["Bad Queue"] = 0 };
        options.Tuning.HeartbeatInterval = TimeSpan.FromSeconds(20);
        var e = Assert.Throws<ArgumentException>(() => new JobEngine(db.DataSource, options));
        Assert.Contains("JobPlatform:Worker:Queues:Bad Queue", e.Message);
        Assert.Contains("concurrency must be 1 to 10000", e.Message);
        Assert.Contains("JobPlatform:Worker:WorkerLostAfter", e.Message);
    }
}
