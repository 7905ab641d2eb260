using System.Collections.Concurrent;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>
/// A queue woken from idle by a notification leases on the listener's connection (its server process has just
/// sent the notification), then gives the connection back. Polls are minutes away in these tests: a job starts
/// soon only through a notification. The clients do not hand jobs to offered slots (HandOffTests cover that).
/// </summary>
public sealed class ListenerLeaseTests
{
    private const string Instrument = "jobplatform.fetch.listener_leases";

    [Fact]
    public async Task Jobs_enqueued_one_at_a_time_to_an_idle_queue_are_leased_on_the_listeners_connection_and_run_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        using var leases = new EngineCounter(Instrument, queue);
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, db.DataSource, runs, queue);
        var client = db.CreateClient(new JobClientOptions { HandOff = false });

        for (var i = 0; i < 10; i++)
        {
            var id = (await client.EnqueueAsync(new TestArgs(Value: i), new EnqueueOptions { Queue = queue })).Id;
            var job = await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
            Assert.Equal(1, job.Attempt);
        }

        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(1, runs.GetValueOrDefault(i)));
        // Each wake-up from idle offers the connection; one taken is enough to show the path works (a loop
        // slower than the offer's few milliseconds leases on a pooled connection instead, as before).
        Assert.True(leases.Count >= 1, $"none of 10 leases went through the listener's connection");
    }

    [Fact]
    public async Task Concurrent_enqueues_to_two_idle_queues_all_run_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (first, second) = (NewQueue(), NewQueue());
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, db.DataSource, runs, first, second);
        var client = db.CreateClient(new JobClientOptions { HandOff = false });

        // Notifications for both queues arrive while the connection is lent to one of them: they must still wake the other.
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(producer => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            for (var i = 0; i < 25; i++)
            {
                var value = producer * 100 + i;
                mine.Add((await client.EnqueueAsync(new TestArgs(Value: value), new EnqueueOptions { Queue = value % 2 == 0 ? first : second })).Id);
                await Task.Delay(i % 3);
            }

            return mine;
        })));

        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM {schema}.jobs WHERE state = 'completed'") == 200,
            TimeSpan.FromSeconds(60), "all 200 jobs to complete");
        Assert.Equal(200, ids.SelectMany(x => x).Distinct().Count());
        Assert.Equal(200, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE attempt <> 1"));
    }

    [Fact]
    public async Task After_its_connections_are_killed_the_engine_listens_and_leases_on_the_new_listener_connection()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var application = "listener_test_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = application };
        await using var engineSource = NpgsqlDataSource.Create(ConnectionDefaults.Apply(builder).ConnectionString);
        using var leases = new EngineCounter(Instrument, queue);
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, engineSource, runs, queue);
        var client = db.CreateClient(new JobClientOptions { HandOff = false });
        await RunOneAsync(client, queue, 0);

        var killed = await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) k", application);
        Assert.True(killed >= 1, "no connection of the engine to kill");
        // The listener reconnects after its backoff (250 ms) and LISTENs again.
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", application) == 1,
            TimeSpan.FromSeconds(30), "the listener to reconnect");
        var before = leases.Count;

        for (var i = 1; i <= 10; i++)
        {
            await RunOneAsync(client, queue, i);
        }

        Assert.All(Enumerable.Range(0, 11), i => Assert.Equal(1, runs.GetValueOrDefault(i)));
        Assert.True(leases.Count > before, "no lease went through the new listener connection");
    }

    private static async Task RunOneAsync(JobClient client, string queue, int value)
    {
        var id = (await client.EnqueueAsync(new TestArgs(Value: value), new EnqueueOptions { Queue = queue })).Id;
        await JobWait.ForStateAsync(client, id, JobState.Completed, seconds: 30);
    }

    private static string NewQueue() => "listen_" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<JobEngine> StartAsync(TestDatabase db, NpgsqlDataSource dataSource, ConcurrentDictionary<int, int> runs, params string[] queues)
    {
        var options = db.EngineOptions();
        options.Queues = queues.ToDictionary(q => q, _ => 10);
        (options.PollInterval, options.ListeningPollInterval, options.PromoteInterval) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
        {
            runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        var engine = new JobEngine(dataSource, options, handlers);
        await engine.StartAsync();
        // The listener connects in the background: until then, a notification would be missed (polls are minutes away).
        await TestDatabase.WaitUntilAsync(() => Task.FromResult(engine.IsListening), TimeSpan.FromSeconds(30), "the listener to connect");
        return engine;
    }
}
