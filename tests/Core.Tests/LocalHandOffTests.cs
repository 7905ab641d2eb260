using System.Collections.Concurrent;
using JobPlatform.Core.Processing;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>
/// A client given an engine of its own process hands single jobs straight to it. Every test uses a queue of
/// its own, so that hand-offs can be counted per test from the engine's meter.
/// </summary>
public sealed class LocalHandOffTests
{
    [Fact]
    public async Task A_job_enqueued_next_to_an_idle_engine_starts_there_without_a_notify_or_a_lease()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter("jobplatform.jobs.local_handoffs", queue);
        // No NOTIFY from this client, and polls and the stager out of reach: only the hand-off can start a job soon.
        var client = db.CreateClient(new JobClientOptions { Notify = false });
        var ran = new ConcurrentDictionary<int, bool>();
        await using var engine = await StartAsync(db, queue, 10, (args, _) => ran[args.Value] = true);
        client.UseLocalEngine(engine.Engine);
        await WarmUpAsync(db, queue, ran);

        var id = (await client.EnqueueAsync(new TestArgs(Value: 1), new EnqueueOptions { Queue = queue })).Id;

        var job = await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(engine.Engine.WorkerId, job.AttemptedBy);
        Assert.True(job.AttemptedAt >= job.ScheduledAt, $"attempted at {job.AttemptedAt:O}, before it was due at {job.ScheduledAt:O}");
        Assert.True(handOffs.Count >= 1, "the job ran, but not by hand-off");
    }

    [Fact]
    public async Task A_paused_queue_gets_the_job_as_available_and_runs_it_after_resume()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter("jobplatform.jobs.local_handoffs", queue);
        var client = db.CreateClient();
        var ran = new ConcurrentDictionary<int, bool>();
        await using var engine = await StartAsync(db, queue, 10, (args, _) => ran[args.Value] = true);
        client.UseLocalEngine(engine.Engine);
        await WarmUpAsync(db, queue, ran);
        var before = handOffs.Count;
        await client.PauseQueueAsync(queue);

        var id = (await client.EnqueueAsync(new TestArgs(Value: 1), new EnqueueOptions { Queue = queue })).Id;

        var waiting = await client.GetAsync(id);
        Assert.Equal(JobState.Available, waiting!.State);
        Assert.Equal(0, waiting.Attempt);
        Assert.Null(waiting.AttemptedBy);
        Assert.Equal(before, handOffs.Count);
        await client.ResumeQueueAsync(queue);
        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
    }

    [Fact]
    public async Task A_full_queue_and_a_kind_the_engine_does_not_run_are_not_handed_off()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter("jobplatform.jobs.local_handoffs", queue);
        var client = db.CreateClient();
        var ran = new ConcurrentDictionary<int, bool>();
        using var release = new ManualResetEventSlim();
        await using var engine = await StartAsync(db, queue, 1, (args, _) =>
        {
            ran[args.Value] = true;
            if (args.Mode == "block")
            {
                release.Wait(TimeSpan.FromSeconds(60));
            }
        });
        client.UseLocalEngine(engine.Engine);
        await WarmUpAsync(db, queue, ran);

        var counted = handOffs.Count;
        await client.EnqueueAsync(new JobInsert("test.not-here", "{}", new EnqueueOptions { Queue = queue }));
        Assert.Equal(counted, handOffs.Count);

        var blocker = (await client.EnqueueAsync(new TestArgs("block", 1), new EnqueueOptions { Queue = queue })).Id;
        await JobWait.ForStateAsync(client, blocker, JobState.Running);
        counted = handOffs.Count;
        var queued = (await client.EnqueueAsync(new TestArgs(Value: 2), new EnqueueOptions { Queue = queue })).Id;

        // Its one slot is taken: the job waits in the table like any other, and runs once the slot frees.
        var waiting = await client.GetAsync(queued);
        Assert.Equal(JobState.Available, waiting!.State);
        Assert.Equal(counted, handOffs.Count);
        release.Set();
        await JobWait.ForStateAsync(client, queued, JobState.Completed, seconds: 30);
    }

    [Fact]
    public async Task A_failed_hand_off_insert_fails_its_caller_and_gives_the_slot_back()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.RefuseInsertsWhereAsync("coalesce(NEW.args ->> 'mode', NEW.args ->> 'Mode') = 'refuse'");
        var queue = NewQueue();
        var client = db.CreateClient(new JobClientOptions { Notify = false });
        var ran = new ConcurrentDictionary<int, bool>();
        // One slot: had the failed hand-off kept it, nothing could run afterwards.
        await using var engine = await StartAsync(db, queue, 1, (args, _) => ran[args.Value] = true);
        client.UseLocalEngine(engine.Engine);
        await WarmUpAsync(db, queue, ran);

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            client.EnqueueAsync(new TestArgs("refuse", 1), new EnqueueOptions { Queue = queue }));
        Assert.Contains("refused by trigger", refused.Message);
        var id = (await client.EnqueueAsync(new TestArgs(Value: 2), new EnqueueOptions { Queue = queue })).Id;

        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
        Assert.Equal(0, engine.Engine.InFlight);
    }

    [Fact]
    public async Task A_job_handed_off_while_the_engine_stops_is_released_with_its_attempt_given_back()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var client = db.CreateClient();
        var ran = new ConcurrentDictionary<int, bool>();
        var engine = await StartAsync(db, queue, 10, (args, _) => ran[args.Value] = true);
        client.UseLocalEngine(engine.Engine);
        await WarmUpAsync(db, queue, ran);
        var slot = engine.Engine.TryReserve(queue, TestArgs.Kind);
        Assert.NotNull(slot);
        // The row as the hand-off insert writes it.
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync("INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts, attempt, attempted_at, attempted_by) " +
            "VALUES ($1, $2, $3, '{\"Value\":7}', 'running', 25, 1, now(), $4)", id, queue, TestArgs.Kind, engine.Engine.WorkerId);
        var row = await client.GetAsync(id);

        // Stopping waits for the reserved slot; the job arrives after the engine stopped accepting.
        var stopping = engine.Engine.StopAsync();
        Assert.False(stopping.IsCompleted);
        slot.RunReserved(new FetchedJob(id, queue, TestArgs.Kind, "{\"Value\":7}", 0, 1, 25, row!.ScheduledAt, row.CreatedAt,
            row.AttemptedAt!.Value, [], null, null, null, null));
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        await engine.DisposeAsync();

        var released = await client.GetAsync(id);
        Assert.Equal(JobState.Available, released!.State);
        Assert.Equal(0, released.Attempt);
        Assert.False(ran.ContainsKey(7));
    }

    private static string NewQueue() => "handoff_" + Guid.NewGuid().ToString("N")[..12];

    private static Task<EngineHarness> StartAsync(TestDatabase db, string queue, int concurrency, Action<TestArgs, JobContext> handler) =>
        EngineHarness.StartAsync(db,
            new JobHandlerRegistry().Register<TestArgs>((args, context, _) =>
            {
                handler(args, context);
                return Task.CompletedTask;
            }),
            o =>
            {
                o.Queues = new() { [queue] = concurrency };
                // No slot offered to other producers: with one slot, an offer out leaves none to reserve here.
                o.HandOff = false;
                (o.PollInterval, o.ListeningPollInterval, o.PromoteInterval) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
            });

    /// <summary>
    /// Runs one job through the queue from a client of its own (notifying, not handing off), so that the fetch
    /// loop has leased it and found the queue empty.
    /// </summary>
    private static async Task WarmUpAsync(TestDatabase db, string queue, ConcurrentDictionary<int, bool> ran)
    {
        await Task.Delay(300); // let the listener connect
        await db.CreateClient(new JobClientOptions { HandOff = false }).EnqueueAsync(new TestArgs(Value: -1), new EnqueueOptions { Queue = queue });
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(ran.ContainsKey(-1)), TimeSpan.FromSeconds(30), "the warm-up job to run");
        await Task.Delay(100); // the fetch loop notes the queue empty just after starting the job
    }
}
