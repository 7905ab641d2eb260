using System.Collections.Concurrent;
using JobPlatform.Core.HandOff;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests.HandOff;

/// <summary>
/// Direct hand-off: an idle queue offers a free slot, a single insert takes it and writes its job already leased
/// to that worker, and the job arrives on the worker's own channel. Polls are minutes away in these tests: a job
/// starts soon only through a hand-off or a notification.
/// </summary>
public sealed class HandOffTests
{
    private const string Instrument = "jobplatform.jobs.handoffs";

    [Fact]
    public async Task Single_jobs_for_an_idle_worker_are_handed_to_its_offered_slot_and_run_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter(Instrument, queue);
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, runs, queue, concurrency: 10);
        var client = db.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            await WaitForOfferAsync(db, queue);
            var id = (await client.EnqueueAsync(new TestArgs(Value: i), new EnqueueOptions { Queue = queue })).Id;
            var job = await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
            Assert.Equal(1, job.Attempt);
        }

        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(1, runs.GetValueOrDefault(i)));
        Assert.Equal(20, handOffs.Count);
        // Leased at the insert, and marked so.
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE queue = $1 AND handed_off", queue));
    }

    [Fact]
    public async Task Single_jobs_enqueued_one_after_another_spread_over_three_idle_workers()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var runs = new ConcurrentDictionary<int, int>();
        var engines = new List<JobEngine>();
        try
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                var options = Options(db, queue, concurrency: 4);
                options.WorkerId = $"{queue}-{name}";
                engines.Add(await StartAsync(db, options, new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
                {
                    runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
                    return Task.CompletedTask;
                })));
            }

            await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.slot_offers WHERE queue = $1", queue) == 3,
                TimeSpan.FromSeconds(30), "all three workers to offer their slots");
            var client = db.CreateClient();
            for (var i = 0; i < 30; i++)
            {
                var id = (await client.EnqueueAsync(new TestArgs(Value: i), new EnqueueOptions { Queue = queue })).Id;
                await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
            }

            Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(1, runs.GetValueOrDefault(i)));
            var perWorker = await db.ScalarAsync<string>(
                "SELECT string_agg(n::text, ' ' ORDER BY w) FROM (SELECT attempted_by AS w, count(*) AS n FROM {schema}.jobs WHERE queue = $1 GROUP BY 1) t", queue);
            var counts = perWorker.Split(' ').Select(int.Parse).ToList();
            var handed = await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE queue = $1 AND handed_off", queue);
            Assert.True(counts.Count == 3 && counts.All(n => n is >= 5 and <= 15), $"jobs per worker: {perWorker}; handed off: {handed} of 30");
            // The offer that gave a job longest ago gets the next: every worker takes its share, none all of them.
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_job_the_worker_leased_itself_is_never_started_again_by_the_heartbeat_whatever_its_timestamps()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var recovered = new EngineCounter("jobplatform.jobs.handoffs_recovered", queue);
        var started = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(db, queue, concurrency: 2);
        options.HandOff = false;
        options.Tuning.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        await using var engine = await StartAsync(db, options, new JobHandlerRegistry().Register<TestArgs>(async (_, _, _) =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
        }));
        var client = db.CreateClient(new JobClientOptions { HandOff = false });
        var id = (await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { Queue = queue })).Id;
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref started) == 1), TimeSpan.FromSeconds(30), "the job to start");

        // Leased by a fetch, then dated as a hand-off would be: attempt 1, attempted when created, long ago.
        await db.ExecuteAsync("UPDATE {schema}.jobs SET created_at = attempted_at - interval '5 s', attempted_at = attempted_at - interval '5 s' WHERE id = $1", id);
        Assert.False(await db.ScalarAsync<bool>("SELECT handed_off FROM {schema}.jobs WHERE id = $1", id));
        var beats = await db.ScalarAsync<DateTime>("SELECT heartbeat_at FROM {schema}.workers WHERE id = $1", engine.WorkerId);
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<DateTime>("SELECT heartbeat_at FROM {schema}.workers WHERE id = $1", engine.WorkerId) > beats.AddSeconds(1),
            TimeSpan.FromSeconds(30), "several heartbeats");

        Assert.Equal(1, Volatile.Read(ref started));
        Assert.Equal(0, recovered.Count);
        release.SetResult();
        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
    }

    [Fact]
    public async Task A_lease_clears_the_mark_of_a_handed_job_that_runs_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var client = db.CreateClient();
        const long Key = 4444_4444_4444;
        var channel = db.Schema + "_htest";
        await using var listener = await ListenAsWorkerAsync(db, Key, channel, _ => { });
        await Offer(db, queue, "first-worker", Key, channel);
        var id = (await client.EnqueueAsync(new TestArgs(), new EnqueueOptions { Queue = queue })).Id;
        Assert.True(await db.ScalarAsync<bool>("SELECT handed_off FROM {schema}.jobs WHERE id = $1", id));

        // Its worker is lost: the job goes back to its queue, and another worker leases it.
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'available' WHERE id = $1", id);
        await db.ExecuteAsync("SELECT * FROM {schema}.lease_jobs($1, 10, 'second-worker', -1::smallint, '-infinity', '00000000-0000-0000-0000-000000000000')", queue);

        Assert.Equal("running second-worker 2 false", await db.ScalarAsync<string>(
            "SELECT state::text || ' ' || attempted_by || ' ' || attempt || ' ' || handed_off FROM {schema}.jobs WHERE id = $1", id));
    }

    [Fact]
    public async Task An_offer_of_a_live_listener_gets_the_job_with_everything_needed_to_run_it_and_a_dead_or_paused_one_does_not()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var client = db.CreateClient();
        const long Key = 4242_4242_4242;
        var channel = db.Schema + "_htest";
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await ListenAsWorkerAsync(db, Key, channel, payload => received.TrySetResult(payload));
        await Offer(db, queue, "live-worker", Key, channel);
        await Offer(db, queue, "dead-worker", Key + 1, channel);

        var args = new TestArgs(Mode: "ok", Value: 7);
        var options = new EnqueueOptions { Queue = queue, Priority = 3, MaxAttempts = 4, Tags = ["a", "b"], TenantId = "t1", Timeout = TimeSpan.FromSeconds(9) };
        var id = (await client.EnqueueAsync(args, options)).Id;

        var row = await db.ScalarAsync<string>("SELECT state::text || ' ' || attempted_by || ' ' || attempt || ' ' || handed_off FROM {schema}.jobs WHERE id = $1", id);
        Assert.Equal("running live-worker 1 true", row);
        var readTask = listener.WaitAsync(TimeSpan.FromSeconds(10));
        var payload = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var (job, generation) = HandOffReceiver.Parse(payload);
        Assert.Equal(OfferGeneration, generation);
        Assert.Equal((id, queue, TestArgs.Kind, 3, 1, 4), (job.Id, job.Queue, job.Kind, job.Priority, job.Attempt, job.MaxAttempts));
        Assert.Equal(7, System.Text.Json.JsonDocument.Parse(job.ArgsJson).RootElement.GetProperty("value").GetInt32());
        Assert.Equal(["a", "b"], job.Tags);
        Assert.Equal(("t1", (int?)9000), (job.TenantId, job.TimeoutMs));
        Assert.Equal(job.CreatedAt, job.AttemptedAt);
        Assert.Equal(await db.ScalarAsync<DateTime>("SELECT attempted_at FROM {schema}.jobs WHERE id = $1", id), job.AttemptedAt.UtcDateTime);

        // The live offer is used up; the dead worker's is skipped: the next job waits as available.
        var second = (await client.EnqueueAsync(args, new EnqueueOptions { Queue = queue })).Id;
        Assert.Equal("available", await db.ScalarAsync<string>("SELECT state::text FROM {schema}.jobs WHERE id = $1", second));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.slot_offers WHERE worker_id = 'dead-worker'"));

        // A paused queue gets no hand-off either.
        await Offer(db, queue, "live-worker", Key, channel);
        await client.PauseQueueAsync(queue);
        var third = (await client.EnqueueAsync(args, new EnqueueOptions { Queue = queue })).Id;
        Assert.Equal("available", await db.ScalarAsync<string>("SELECT state::text FROM {schema}.jobs WHERE id = $1", third));
    }

    [Fact]
    public async Task An_offer_of_several_slots_gives_one_to_each_job_with_its_generation_and_the_last_one_removes_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var client = db.CreateClient();
        const long Key = 4343_4343_4343;
        var channel = db.Schema + "_htest";
        var payloads = new ConcurrentQueue<string>();
        await using var listener = await ListenAsWorkerAsync(db, Key, channel, payloads.Enqueue);
        await db.ExecuteAsync("INSERT INTO {schema}.slot_offers (queue, worker_id, lock_key, channel, slots, generation) VALUES ($1, 'w', $2, $3, 2, 7)",
            queue, Key, channel);

        var first = (await client.EnqueueAsync(new TestArgs(Value: 1), new EnqueueOptions { Queue = queue })).Id;
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT slots FROM {schema}.slot_offers WHERE queue = $1", queue));
        var second = (await client.EnqueueAsync(new TestArgs(Value: 2), new EnqueueOptions { Queue = queue })).Id;
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.slot_offers WHERE queue = $1", queue));
        var third = (await client.EnqueueAsync(new TestArgs(Value: 3), new EnqueueOptions { Queue = queue })).Id;

        Assert.Equal("running running available", await db.ScalarAsync<string>(
            "SELECT string_agg(state::text, ' ' ORDER BY id) FROM {schema}.jobs WHERE id IN ($1, $2, $3)", first, second, third));
        await TestDatabase.WaitUntilAsync(async () =>
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(100));
            return payloads.Count == 2;
        }, TimeSpan.FromSeconds(10), "two hand-off notifications");
        Assert.Equal([(first, 7L), (second, 7L)], payloads.Select(HandOffReceiver.Parse).Select(h => (h.Job.Id, h.Generation)).OrderBy(h => h.Id));
    }

    [Fact]
    public async Task An_idle_worker_offers_all_its_free_slots_at_once_and_never_more()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter(Instrument, queue);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (running, most) = (0, 0);
        var handlers = new JobHandlerRegistry().Register<TestArgs>(async (_, _, _) =>
        {
            InterlockedMax(ref most, Interlocked.Increment(ref running));
            await release.Task;
            Interlocked.Decrement(ref running);
        });
        await using var engine = await StartAsync(db, Options(db, queue, concurrency: 5), handlers);
        var client = db.CreateClient();
        await WaitForOfferAsync(db, queue, slots: 5);
        // The wake-up the listener sends once connected makes the loop withdraw its offer and offer it again,
        // under a new generation: wait until the offer stays the same.
        var offer = await db.ScalarAsync<string>("SELECT slots || '/' || generation FROM {schema}.slot_offers WHERE queue = $1", queue);
        await Task.Delay(300);
        while (await db.ScalarAsync<string>("SELECT slots || '/' || generation FROM {schema}.slot_offers WHERE queue = $1", queue) is var now && now != offer)
        {
            offer = now;
            await Task.Delay(300);
        }

        // Five jobs one after another take the five slots offered, without waiting for the worker in between.
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.EnqueueAsync(new TestArgs(Value: i), new EnqueueOptions { Queue = queue })).Id);
        }

        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE id = ANY($1) AND handed_off", ids.ToArray()));
        // Every slot is busy: the next job waits as available, and no slot is offered while they run.
        var sixth = (await client.EnqueueAsync(new TestArgs(Value: 6), new EnqueueOptions { Queue = queue })).Id;
        Assert.Equal("available", await db.ScalarAsync<string>("SELECT state::text FROM {schema}.jobs WHERE id = $1", sixth));
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref running) == 5), TimeSpan.FromSeconds(30), "the five handed jobs to start");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT coalesce(sum(slots), 0) FROM {schema}.slot_offers WHERE queue = $1", queue));

        release.SetResult();
        await JobWait.ForStateAsync(client, sixth, JobState.Completed, seconds: 30);
        Assert.Equal(5, handOffs.Count);
        Assert.Equal(5, most);
        await WaitForOfferAsync(db, queue);
        Assert.InRange(await db.ScalarAsync<long>("SELECT sum(slots) FROM {schema}.slot_offers WHERE queue = $1", queue), 1, 5);
    }

    [Fact]
    public async Task A_queue_of_concurrency_one_never_runs_two_jobs_at_once_while_hand_offs_race_with_wake_ups()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var handOffs = new EngineCounter(Instrument, queue);
        var (running, most) = (0, 0);
        var runs = new ConcurrentDictionary<int, int>();
        var options = Options(db, queue, concurrency: 1);
        var handlers = new JobHandlerRegistry().Register<TestArgs>(async (args, _, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
            await Task.Delay(args.Mode == "slow" ? 3 : 0);
            Interlocked.Decrement(ref running);
        });
        await using var engine = await StartAsync(db, options, handlers);
        var client = db.CreateClient();
        // One job sure to be handed off (the slot is offered before it is enqueued); the race below may hand
        // off none, depending on timing.
        await WaitForOfferAsync(db, queue);
        await client.EnqueueAsync(new TestArgs("slow", -1), new EnqueueOptions { Queue = queue });

        // Single enqueues (hand-offs when a slot is offered) interleaved with batches (NOTIFY and lease).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(producer => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                var value = producer * 1000 + i * 10;
                if (i % 5 == 4)
                {
                    await client.EnqueueManyAsync(Enumerable.Range(1, 3).Select(k => new TestArgs("slow", value + k)), new EnqueueOptions { Queue = queue });
                }
                else
                {
                    await client.EnqueueAsync(new TestArgs(i % 2 == 0 ? "slow" : "ok", value), new EnqueueOptions { Queue = queue });
                }

                await Task.Delay(i % 4);
            }
        })));

        var expected = 1 + 4 * (24 + 6 * 3);
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM {schema}.jobs WHERE queue = $1 AND state = 'completed'", queue) == expected,
            TimeSpan.FromSeconds(90), $"all {expected} jobs to complete");
        Assert.Equal(expected, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.Equal(1, most);
        Assert.True(handOffs.Count >= 1, "no job was handed off");
    }

    [Fact]
    public async Task A_handed_job_whose_notification_was_lost_is_started_by_the_heartbeat_and_a_received_one_never_twice()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var recovered = new EngineCounter("jobplatform.jobs.handoffs_recovered", queue);
        var runs = new ConcurrentDictionary<int, int>();
        var options = Options(db, queue, concurrency: 10);
        options.Tuning.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        var handlers = new JobHandlerRegistry().Register<TestArgs>(async (args, _, _) =>
        {
            runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
            // Longer than the 2 s after which the heartbeat looks for lost hand-offs.
            await Task.Delay(args.Mode == "slow" ? 3000 : 0);
        });
        await using var engine = await StartAsync(db, options, handlers);
        var client = db.CreateClient();

        // Received and still running when heartbeats look for lost hand-offs: must not start again.
        await WaitForOfferAsync(db, queue);
        var slow = (await client.EnqueueAsync(new TestArgs("slow", 1), new EnqueueOptions { Queue = queue })).Id;

        // Written as handed to this worker 3 s ago, its notification never sent.
        var lost = Guid.CreateVersion7();
        await db.ExecuteAsync("""
            INSERT INTO {schema}.jobs (id, queue, kind, args, state, max_attempts, attempt, attempted_by, handed_off, scheduled_at, created_at, attempted_at)
            VALUES ($1, $2, $3, '{"mode":"ok","value":2}', 'running', 3, 1, $4, true, now() - interval '3 s', now() - interval '3 s', now() - interval '3 s')
            """, lost, queue, TestArgs.Kind, engine.WorkerId);

        await JobWait.ForStateAsync(client, lost, JobState.Completed, seconds: 30);
        await JobWait.ForStateAsync(client, slow, JobState.Completed, seconds: 30);
        Assert.Equal(1, recovered.Count);
        Assert.Equal(1, runs.GetValueOrDefault(1));
        Assert.Equal(1, runs.GetValueOrDefault(2));
    }

    [Fact]
    public async Task A_stopped_engine_withdraws_its_offers_and_a_job_too_large_for_a_notification_is_inserted_as_usual()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var runs = new ConcurrentDictionary<int, int>();
        var engine = await StartAsync(db, runs, queue, concurrency: 10);
        await using (engine)
        {
            var client = db.CreateClient();
            await WaitForOfferAsync(db, queue);
            // Small as JSON, but jsonb writes the number out in full: the notification would exceed 8000 bytes.
            var huge = """{"mode":"ok","value":5,"pad":[""" + string.Join(",", Enumerable.Repeat("1e900", 40)) + "]}";
            var id = (await client.EnqueueAsync(new JobInsert(TestArgs.Kind, huge, new EnqueueOptions { Queue = queue }))).Id;
            await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
            Assert.Equal(1, runs.GetValueOrDefault(5));
            Assert.False(await db.ScalarAsync<bool>("SELECT handed_off FROM {schema}.jobs WHERE id = $1", id));

            await engine.StopAsync();
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.slot_offers"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>A worker's listening connection: it holds the lock and listens on the channel named in its offer.</summary>
    private static async Task<NpgsqlConnection> ListenAsWorkerAsync(TestDatabase db, long key, string channel, Action<string> received)
    {
        var listener = await db.DataSource.OpenConnectionAsync();
        listener.Notification += (_, e) => received(e.Payload);
        await Exec(listener, $"LISTEN \"{channel}\"");
        await Exec(listener, $"SELECT pg_advisory_lock({key})");
        return listener;
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private const long OfferGeneration = 5;

    private static Task Offer(TestDatabase db, string queue, string worker, long key, string channel) =>
        db.ExecuteAsync("INSERT INTO {schema}.slot_offers (queue, worker_id, lock_key, channel, generation) VALUES ($1, $2, $3, $4, $5)",
            queue, worker, key, channel, OfferGeneration);

    /// <summary>Waits until the queue offers at least one slot, or exactly <paramref name="slots"/>.</summary>
    private static Task WaitForOfferAsync(TestDatabase db, string queue, int? slots = null) =>
        TestDatabase.WaitUntilAsync(async () =>
            {
                var offered = await db.ScalarAsync<long>("SELECT coalesce(sum(slots), 0) FROM {schema}.slot_offers WHERE queue = $1", queue);
                return slots is null ? offered > 0 : offered == slots;
            },
            TimeSpan.FromSeconds(30), slots is null ? "the idle queue to offer a slot" : $"the idle queue to offer {slots} slots");

    private static string NewQueue() => "handoff_" + Guid.NewGuid().ToString("N")[..12];

    private static JobEngineOptions Options(TestDatabase db, string queue, int concurrency)
    {
        var options = db.EngineOptions();
        options.Queues = new() { [queue] = concurrency };
        (options.PollInterval, options.Tuning.ListeningPollInterval, options.Tuning.PromoteInterval) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        return options;
    }

    private static Task<JobEngine> StartAsync(TestDatabase db, ConcurrentDictionary<int, int> runs, string queue, int concurrency) =>
        StartAsync(db, Options(db, queue, concurrency), new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
        {
            runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }));

    private static async Task<JobEngine> StartAsync(TestDatabase db, JobEngineOptions options, JobHandlerRegistry handlers)
    {
        var engine = new JobEngine(db.DataSource, options, handlers);
        await engine.StartAsync();
        await engine.WhenListeningAsync(TimeSpan.FromSeconds(30));
        return engine;
    }
}
