using System.Collections.Concurrent;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

/// <summary>
/// An idle queue wakes through NOTIFY: polls are minutes away in these tests, so a job starts soon only through a
/// notification. The clients do not hand jobs to offered slots (HandOff/HandOffTests cover that).
/// </summary>
public sealed class NotificationTests
{
    [Fact]
    public async Task Jobs_enqueued_one_at_a_time_to_an_idle_queue_wake_it_and_run_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
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
    }

    [Fact]
    public async Task Concurrent_enqueues_to_two_idle_queues_all_run_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (first, second) = (NewQueue(), NewQueue());
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, db.DataSource, runs, first, second);
        var client = db.CreateClient(new JobClientOptions { HandOff = false });

        // Notifications for both queues arrive while one of them is fetching: they must still wake the other.
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
    public async Task After_its_connections_are_killed_the_engine_listens_again_and_wakes_on_notifications()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = NewQueue();
        var application = "listener_test_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = application };
        await using var engineSource = NpgsqlDataSource.Create(ConnectionDefaults.Apply(builder).ConnectionString);
        var runs = new ConcurrentDictionary<int, int>();
        await using var engine = await StartAsync(db, engineSource, runs, queue);
        var client = db.CreateClient(new JobClientOptions { HandOff = false });
        await RunOneAsync(client, queue, 0);

        var killed = await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) k", application);
        Assert.True(killed >= 1, "no connection of the engine to kill");
        // The listener reconnects after its backoff (250 ms) and LISTENs again.
        await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%LISTEN %'", application) == 1,
            TimeSpan.FromSeconds(30), "the listener to reconnect");
        for (var i = 1; i <= 10; i++)
        {
            await RunOneAsync(client, queue, i);
        }

        Assert.All(Enumerable.Range(0, 11), i => Assert.Equal(1, runs.GetValueOrDefault(i)));
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
        (options.PollInterval, options.Tuning.ListeningPollInterval, options.Tuning.PromoteInterval) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
        {
            runs.AddOrUpdate(args.Value, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        var engine = new JobEngine(dataSource, options, handlers);
        await engine.StartAsync();
        // The listener connects in the background: until then, a notification would be missed (polls are minutes away).
        await engine.WhenListeningAsync(TimeSpan.FromSeconds(30));
        return engine;
    }
}
