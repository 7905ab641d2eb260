using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

/// <summary>Completed jobs move from jobs_live to jobs_archive (migration 0006) and stay readable, retryable and prunable.</summary>
public sealed class ArchiveTests
{
    private static Task<string> PartitionOfAsync(TestDatabase db, Guid id) =>
        db.ScalarAsync<string>("SELECT tableoid::regclass::text FROM {schema}.jobs WHERE id = $1", id);

    [Fact]
    public async Task Completed_jobs_move_to_the_archive_unless_their_unique_key_covers_completed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var plain = (await client.EnqueueAsync(new NoopArgs())).Id;
        var holdsKey = (await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Unique = new UniqueOptions { Key = "once" } })).Id;
        var releasesKey = (await client.EnqueueAsync(new NoopArgs(),
            new EnqueueOptions { Unique = new UniqueOptions { Key = "while-waiting", States = UniqueStates.Unfinished } })).Id;
        var failing = (await client.EnqueueAsync(new TestArgs("fail"))).Id;
        var handlers = new JobHandlerRegistry().Register<TestArgs>((_, _, _) => throw new InvalidOperationException("no"));

        await using (var engine = await EngineHarness.StartAsync(db, handlers))
        {
            foreach (var id in new[] { plain, holdsKey, releasesKey })
            {
                await JobWait.ForStateAsync(client, id, JobState.Completed);
            }

            await JobWait.ForStateAsync(client, failing, JobState.Retryable);
        }

        Assert.EndsWith(".jobs_archive", await PartitionOfAsync(db, plain));
        Assert.EndsWith(".jobs_live", await PartitionOfAsync(db, holdsKey));
        Assert.EndsWith(".jobs_archive", await PartitionOfAsync(db, releasesKey));
        Assert.EndsWith(".jobs_live", await PartitionOfAsync(db, failing));

        // Reads see both partitions.
        var listed = await client.ListAsync(new JobListQuery { State = JobState.Completed });
        Assert.Equal(new[] { plain, holdsKey, releasesKey }.Order(), listed.Select(j => j.Id).Order());
        Assert.Equal(3, (await client.GetStatsAsync()).States[JobState.Completed]);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT sum(completed) FROM {schema}.stats_minute WHERE kind = 'platform.noop'"));

        // The key of the live completed job still dedupes; the archived job's key is free again.
        Assert.True((await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Unique = new UniqueOptions { Key = "once" } })).Duplicate);
        var again = await client.EnqueueAsync(new NoopArgs(),
            new EnqueueOptions { Unique = new UniqueOptions { Key = "while-waiting", States = UniqueStates.Unfinished } });
        Assert.False(again.Duplicate);
        Assert.NotEqual(releasesKey, again.Id);
    }

    [Fact]
    public async Task A_retried_archived_job_moves_back_runs_again_and_is_archived_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var id = (await client.EnqueueAsync(new NoopArgs())).Id;
        await using var engine = await EngineHarness.StartAsync(db);
        await JobWait.ForStateAsync(client, id, JobState.Completed);
        Assert.EndsWith(".jobs_archive", await PartitionOfAsync(db, id));

        Assert.Equal(RetryOutcome.Retried, await client.RetryAsync(id));
        var rerun = await JobWait.ForAsync(client, id, j => j.State == JobState.Completed && j.Attempt == 2, "the retried job to complete again");
        Assert.Equal(2, rerun.Attempt);
        Assert.EndsWith(".jobs_archive", await PartitionOfAsync(db, id));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE id = $1", id));
    }

    [Fact]
    public async Task Pruner_deletes_archived_and_live_completed_jobs_past_retention()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await client.EnqueueManyAsync(Enumerable.Range(0, 1200).Select(_ => new NoopArgs()));
        var keyed = (await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Unique = new UniqueOptions { Key = "k" } })).Id;
        var fresh = (await client.EnqueueAsync(new NoopArgs())).Id;
        // What completions leave behind: archived jobs, and a live one that keeps its unique key.
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'completed', attempt = 1, finalized_at = now() - interval '2 days', " +
                              "archived = unique_key IS NULL");
        await db.ExecuteAsync("UPDATE {schema}.jobs SET finalized_at = now() WHERE id = $1", fresh);
        Assert.Equal(1201L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs_archive"));

        var options = db.EngineOptions();
        options.Tuning.PruneBatchSize = 500;
        var pruner = new Maintenance.JobPruner(db.DataSource, Sql.SqlCatalog.For(db.Schema), options);
        Assert.Equal(1201, await pruner.RunOnceAsync(CancellationToken.None));
        Assert.Null(await client.GetAsync(keyed));
        Assert.NotNull(await client.GetAsync(fresh));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task An_operator_command_waiting_on_a_job_as_its_completion_archives_it_finds_it_in_the_archive(string command)
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var id = (await client.EnqueueAsync(new NoopArgs())).Id;
        await db.ExecuteAsync("UPDATE {schema}.jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'w'");

        // The worker's completion holds the row, moved but not committed, while the operator's command waits for it.
        await using var worker = await db.DataSource.OpenConnectionAsync();
        await using var tx = await worker.BeginTransactionAsync();
        await using (var complete = worker.CreateCommand())
        {
            complete.CommandText = $"SELECT \"{db.Schema}\".complete_jobs(ARRAY[$1]::uuid[], '{{1}}', '{{completed}}', '{{NULL}}', '{{NULL}}', '{{0}}', 'w')";
            complete.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            await complete.ExecuteNonQueryAsync();
        }

        var workerPid = worker.ProcessID;
        async Task<object> RunCommandAsync() => command == "cancel" ? await client.CancelAsync(id) : await client.RetryAsync(id);
        var operation = RunCommandAsync();
        await TestDatabase.WaitUntilAsync(
            async () => await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)))", workerPid),
            TimeSpan.FromSeconds(20), "the operator's command to wait for the worker's row lock");
        await tx.CommitAsync();

        var outcome = await operation;
        if (command == "cancel")
        {
            Assert.Equal(CancelOutcome.AlreadyFinal, outcome);
            Assert.EndsWith(".jobs_archive", await PartitionOfAsync(db, id));
        }
        else
        {
            Assert.Equal(RetryOutcome.Retried, outcome);
            Assert.Equal(JobState.Available, (await client.GetAsync(id))!.State);
            Assert.EndsWith(".jobs_live", await PartitionOfAsync(db, id));
        }
    }
}
