using System.Collections.Concurrent;
using JobPlatform.Core;
using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Worker.Tests;

/// <summary>
/// Faults while producers hand single jobs straight to idle workers: a worker killed with SIGKILL, PostgreSQL
/// restarted. Workers run tests/TestWorker, whose <c>test.record</c> kind writes each run to <c>test_runs</c>, so
/// the tests see every run: nothing may be lost, and no job may ever run twice at once.
/// </summary>
public sealed class HandOffFaultTests
{
    private const string RunsTable = """
        CREATE TABLE {schema}.test_runs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, job_id uuid NOT NULL, attempt integer NOT NULL,
            worker text NOT NULL, started_at timestamptz NOT NULL DEFAULT clock_timestamp(), finished_at timestamptz)
        """;

    [Fact]
    public async Task Kill_9_of_a_worker_while_producers_hand_it_jobs_loses_none_and_never_runs_one_twice_at_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync(RunsTable);
        var (a, portA) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-a", concurrency: 10, dll: ProductPaths.TestWorkerDll);
        var (b, portB) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-b", concurrency: 10, dll: ProductPaths.TestWorkerDll);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, TimeSpan.FromSeconds(60));
            await b.WaitReadyAsync(portB, TimeSpan.FromSeconds(60));
            var client = db.CreateClient();
            var ids = new ConcurrentBag<Guid>();
            using var stop = new CancellationTokenSource();
            var producers = Produce(client, ids, producers: 3, stop.Token, retry: false);

            await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.test_runs WHERE worker = 'worker-a'") >= 100,
                TimeSpan.FromSeconds(60), "worker-a to run 100 jobs\n" + a.Tail());
            a.KillHard();
            await a.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var killedAt = await db.ScalarAsync<DateTime>("SELECT clock_timestamp()");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stop.CancelAsync();
            await producers;

            await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state <> 'completed'") == 0,
                TimeSpan.FromSeconds(90), "every job to complete after the kill\n" + b.Tail());
            await AssertEveryJobRanAndNeverTwiceAtOnceAsync(db.DataSource, db.Schema, ids, killedAt);
            // The kill came while jobs were being handed over, and the rescued ones name the killed worker.
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE handed_off") > 0, "no job was handed off");
            Assert.Equal(0L, await db.ScalarAsync<long>(
                "SELECT count(*) FROM {schema}.jobs WHERE attempt > 1 AND NOT errors @> '[{\"type\": \"JobPlatform.WorkerLost\", \"worker\": \"worker-a\"}]'"));
        }
    }

    [Fact]
    public async Task PostgreSQL_restart_while_producers_hand_jobs_to_workers_loses_none_and_never_runs_one_twice_at_once()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        const string schema = "jobplatform";
        await using var dataSource = NpgsqlDataSource.Create(pg.ConnectionString);
        await new Core.Schema.JobPlatformMigrator(dataSource, schema).MigrateAsync();
        await using (var create = dataSource.CreateCommand(RunsTable.Replace("{schema}", schema)))
        {
            await create.ExecuteNonQueryAsync();
        }

        var (a, portA) = WorkerProcess.Start(pg.ConnectionString, schema, "worker-a", concurrency: 10, dll: ProductPaths.TestWorkerDll);
        var (b, portB) = WorkerProcess.Start(pg.ConnectionString, schema, "worker-b", concurrency: 10, dll: ProductPaths.TestWorkerDll);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, TimeSpan.FromSeconds(60));
            await b.WaitReadyAsync(portB, TimeSpan.FromSeconds(60));
            var client = new JobClient(dataSource, new JobClientOptions { Schema = schema });
            var ids = new ConcurrentBag<Guid>();
            using var stop = new CancellationTokenSource();
            var producers = Produce(client, ids, producers: 3, stop.Token, retry: true);

            await WaitAsync(dataSource, schema, "SELECT count(*) >= 200 FROM jobplatform.test_runs", "200 runs before the restart");
            await pg.RestartAsync();
            var restartedAt = DateTime.UtcNow.ToString("O");
            await WaitAsync(dataSource, schema, $"SELECT count(*) >= 200 FROM jobplatform.test_runs WHERE started_at > '{restartedAt}'",
                "200 more runs after the restart\n" + a.Tail() + b.Tail());
            await stop.CancelAsync();
            await producers;

            await WaitAsync(dataSource, schema, "SELECT count(*) = 0 FROM jobplatform.jobs WHERE state <> 'completed'",
                "every job to complete after the restart\n" + a.Tail() + b.Tail());
            await AssertEveryJobRanAndNeverTwiceAtOnceAsync(dataSource, schema, ids, killedAt: null);
            Assert.True(await CountAsync(dataSource, schema, "SELECT count(*) FROM {schema}.jobs WHERE handed_off") > 0, "no job was handed off");
        }
    }

    /// <summary>Single enqueues, one at a time per producer with pauses, so workers are often idle and offer slots.</summary>
    private static Task Produce(JobClient client, ConcurrentBag<Guid> ids, int producers, CancellationToken stop, bool retry) =>
        Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    // Some run longer than a handed job's notification may take, so a heartbeat that started a
                    // received job again would be seen running it twice.
                    var sleepMs = i % 100 == 0 ? 2500 : i % 3 * 10;
                    ids.Add((await client.EnqueueAsync(new RecordArgs(p * 100_000 + i, sleepMs), new EnqueueOptions())).Id);
                }
                catch (NpgsqlException) when (retry)
                {
                    // PostgreSQL is restarting; whether this insert committed is unknown, and the check below covers
                    // every job in the table, not only those confirmed here.
                }

                await Task.Delay(10 + i % 4 * 3, CancellationToken.None);
            }
        })));

    private static async Task AssertEveryJobRanAndNeverTwiceAtOnceAsync(NpgsqlDataSource db, string schema, IEnumerable<Guid> confirmed, DateTime? killedAt)
    {
        var ids = confirmed.ToArray();
        Assert.True(ids.Length > 100, $"only {ids.Length} jobs were enqueued");
        // Every confirmed enqueue is a completed job with a finished run of its last attempt.
        Assert.Equal(ids.Length, await CountAsync(db, schema, "SELECT count(*) FROM {schema}.jobs WHERE id = ANY($1) AND state = 'completed'", ids));
        Assert.Equal(0L, await CountAsync(db, schema, """
            SELECT count(*) FROM {schema}.jobs j
            WHERE NOT EXISTS (SELECT 1 FROM {schema}.test_runs r WHERE r.job_id = j.id AND r.attempt = j.attempt AND r.finished_at IS NOT NULL)
            """));
        // No two runs of one job overlap; a run the kill cut short ended at the kill.
        var overlapping = await CountAsync(db, schema, """
            SELECT count(*) FROM {schema}.test_runs x JOIN {schema}.test_runs y ON x.job_id = y.job_id AND x.id < y.id
            WHERE x.started_at < coalesce(y.finished_at, $1) AND y.started_at < coalesce(x.finished_at, $1)
            """, (object?)killedAt ?? DateTime.MaxValue);
        Assert.Equal(0L, overlapping);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string schema, string sql, params object[] args)
    {
        await using var cmd = dataSource.CreateCommand(sql.Replace("{schema}", $"\"{schema}\""));
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static Task WaitAsync(NpgsqlDataSource dataSource, string schema, string sql, string what) =>
        TestDatabase.WaitUntilAsync(async () =>
        {
            try
            {
                await using var cmd = dataSource.CreateCommand(sql.Replace("jobplatform.", $"\"{schema}\"."));
                return await cmd.ExecuteScalarAsync() is true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(120), what);

    private sealed record RecordArgs(int Value, int SleepMs = 0) : IJobArgs
    {
        public static string Kind => "test.record";
    }
}
