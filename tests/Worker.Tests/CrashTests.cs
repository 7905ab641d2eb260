using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Worker.Tests;

/// <summary>Workers are killed, drained and cut off from PostgreSQL; no job may be lost.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Kill_9_of_one_worker_mid_run_loses_nothing_and_only_its_in_flight_jobs_run_twice()
    {
        await using var db = await TestDatabase.CreateAsync();
        var cs = db.ConnectionString;
        var (exit, output) = await ChildProcess.RunJobctlAsync(cs, db.Schema, "enqueue", "--kind", "platform.noop", "--args", "{\"sleepMs\":5}", "--count", "20000");
        Assert.True(exit == 0, output);

        var (a, portA) = WorkerProcess.Start(cs, db.Schema, "worker-a", concurrency: 4);
        var (b, portB) = WorkerProcess.Start(cs, db.Schema, "worker-b", concurrency: 4);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, TimeSpan.FromSeconds(60));
            await b.WaitReadyAsync(portB, TimeSpan.FromSeconds(60));
            await TestDatabase.WaitUntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'completed' AND attempted_by = 'worker-a'") >= 1000,
                TimeSpan.FromSeconds(60), "worker-a to complete 1000 jobs");
            a.KillHard();
            await a.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var unfinished = await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state <> 'completed'");
            Assert.True(unfinished > 5000, $"the kill came too late to be mid-run: {unfinished} jobs unfinished");

            await TestDatabase.WaitUntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'completed'") == 20_000,
                TimeSpan.FromSeconds(120), "all 20,000 jobs completed after the crash\n" + b.Tail());
        }

        var (statsExit, statsJson) = await ChildProcess.RunJobctlAsync(cs, db.Schema, "stats", "--json");
        Assert.True(statsExit == 0, statsJson);
        using var stats = JsonDocument.Parse(statsJson);
        var states = stats.RootElement.GetProperty("states");
        Assert.Equal(20_000, states.GetProperty("completed").GetInt64());
        Assert.Equal(0, states.GetProperty("running").GetInt64());
        Assert.Equal(0, states.GetProperty("available").GetInt64());

        // Every job that ran twice was rescued from the killed worker, and only once.
        var client = db.CreateClient();
        var rerun = new List<Job>();
        await using (var cmd = db.DataSource.CreateCommand($"SELECT id FROM \"{db.Schema}\".jobs WHERE attempt > 1"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rerun.Add((await client.GetAsync(reader.GetGuid(0)))!);
            }
        }

        Assert.NotEmpty(rerun);
        Assert.All(rerun, j =>
        {
            Assert.Equal(2, j.Attempt);
            var error = Assert.Single(j.Errors);
            Assert.Equal(("JobPlatform.WorkerLost", "worker-a"), (error.Type, error.Worker));
        });
    }

    [Fact]
    public async Task PostgreSQL_restart_mid_run_workers_reconnect_and_finish_everything()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        const string schema = "jobplatform";
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(pg.ConnectionString);
        await new Core.Schema.JobPlatformMigrator(dataSource, schema).MigrateAsync();
        var client = new JobClient(dataSource, new JobClientOptions { Schema = schema });
        await client.EnqueueManyAsync(Enumerable.Range(0, 6000).Select(_ => new NoopArgs(SleepMs: 5)));

        var (worker, port) = WorkerProcess.Start(pg.ConnectionString, schema, "worker-r", concurrency: 10);
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            await TestDatabase.WaitUntilAsync(async () => (await client.GetStatsAsync()).States[JobState.Completed] >= 500,
                TimeSpan.FromSeconds(60), "first 500 completed");
            await pg.RestartAsync();
            // The test's own pooled connections died with the server too; retry as an application would.
            await RetryOnDisconnectAsync(() => client.EnqueueManyAsync(Enumerable.Range(0, 1000).Select(_ => new NoopArgs(SleepMs: 1))));
            await TestDatabase.WaitUntilAsync(async () => (await RetryOnDisconnectAsync(() => client.GetStatsAsync())).States[JobState.Completed] == 7000,
                TimeSpan.FromSeconds(120), "all 7000 completed after the restart\n" + worker.Tail());
            Assert.Contains("failed", worker.Output); // it did notice the outage
        }

        var stats = await client.GetStatsAsync();
        Assert.Equal(0, stats.States[JobState.Running] + stats.States[JobState.Available] + stats.States[JobState.Discarded]);
    }

    [Fact]
    public async Task Sigterm_drains_finishing_short_jobs_and_releasing_long_ones_with_attempts_unspent()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var (worker, port) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-t", concurrency: 20,
            new Dictionary<string, string> { ["JobPlatform__Worker__ShutdownTimeout"] = "00:00:02" });
        IReadOnlyList<JobInsertResult> shortJobs, longJobs;
        using (worker)
        {
            await worker.WaitReadyAsync(port, TimeSpan.FromSeconds(60));
            shortJobs = await client.EnqueueManyAsync(Enumerable.Range(0, 5).Select(_ => new NoopArgs(SleepMs: 700)));
            longJobs = await client.EnqueueManyAsync(Enumerable.Range(0, 5).Select(_ => new NoopArgs(SleepMs: 120_000)));
            await TestDatabase.WaitUntilAsync(async () => (await client.GetStatsAsync()).States[JobState.Running] == 10,
                TimeSpan.FromSeconds(20), "10 running");
            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        foreach (var r in shortJobs)
        {
            Assert.Equal(JobState.Completed, (await client.GetAsync(r.Id))!.State);
        }

        foreach (var r in longJobs)
        {
            var job = (await client.GetAsync(r.Id))!;
            Assert.Equal((JobState.Available, 0), (job.State, job.Attempt));
            Assert.Empty(job.Errors);
        }

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.workers"));
    }

    private static async Task<T> RetryOnDisconnectAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Npgsql.NpgsqlException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}
