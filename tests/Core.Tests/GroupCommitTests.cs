using JobPlatform.TestSupport;
using Npgsql;

namespace JobPlatform.Core.Tests;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Concurrent_enqueues_share_commits_and_each_returns_its_own_committed_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Task.Run(() => client.EnqueueAsync(new TestArgs(Value: i)))));

        Assert.Equal(400, results.Select(r => r.Id).Distinct().Count());
        Assert.All(results, r => Assert.False(r.Duplicate));
        foreach (var r in results)
        {
            var job = await client.GetAsync(r.Id);
            Assert.NotNull(job);
            Assert.Equal(JobState.Available, job.State);
        }

        // Rows written by one statement share their inserting transaction.
        var transactions = await db.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM {schema}.jobs");
        Assert.True(transactions < 400, $"{transactions} transactions for 400 jobs: nothing was shared");
    }

    [Fact]
    public async Task A_failed_shared_insert_fails_every_caller_in_it_and_no_success_lacks_its_row()
    {
        await using var db = await TestDatabase.CreateAsync();
        // A database-side failure for some jobs (validation cannot catch it): a trigger refusing one kind.
        await db.RefuseInsertsWhereAsync("NEW.kind = 'test.refused'");
        var client = db.CreateClient();

        var calls = Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            try
            {
                var kind = i % 10 == 0 ? "test.refused" : TestArgs.Kind;
                return ((Guid?)(await client.EnqueueAsync(new JobInsert(kind, "{}"))).Id, (Exception?)null);
            }
            catch (PostgresException e)
            {
                return (null, e);
            }
        })).ToList();
        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes.Where(o => o.Item2 is not null), o => Assert.Contains("refused by trigger", o.Item2!.Message));
        var succeeded = outcomes.Where(o => o.Item1 is not null).Select(o => o.Item1!.Value).ToList();
        Assert.Equal(succeeded.Count, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
        foreach (var id in succeeded)
        {
            Assert.NotNull(await client.GetAsync(id));
        }

        Assert.True(outcomes.Count(o => o.Item2 is not null) >= 30, "every refused job's caller must fail");
    }

    [Fact]
    public async Task A_caller_that_blocks_on_another_enqueue_inside_its_continuation_does_not_deadlock()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();

        // The send loop runs callers' continuations inline. This one blocks its thread (sync over async) on an
        // enqueue that only a send loop can complete: another thread must take over.
        var nested = await Task.Run(async () =>
        {
            await client.EnqueueAsync(new TestArgs(Value: 1));
            return client.EnqueueAsync(new TestArgs(Value: 2)).GetAwaiter().GetResult();
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotNull(await client.GetAsync(nested.Id));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task A_continuation_that_holds_the_thread_does_not_hold_up_the_other_callers_of_its_statement()
    {
        await using var db = await TestDatabase.CreateAsync();
        // One connection, held by the test, so that jobs queue up behind the first one and share a statement.
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var client = new JobClient(dataSource, new JobClientOptions { Schema = db.Schema });
        var held = await dataSource.OpenConnectionAsync();

        // The first job's statement waits for the connection; the next two queue behind it, in this order.
        var first = client.EnqueueAsync(new TestArgs(Value: 0));
        using var secondDone = new ManualResetEventSlim();
        var holder = Task.Run(async () =>
        {
            await client.EnqueueAsync(new TestArgs(Value: 1));
            // Runs inline on the send loop's thread, ahead of the second caller's completion: without a take-over
            // the second caller could never be told, and this wait would time out.
            return secondDone.Wait(TimeSpan.FromSeconds(60));
        });
        await WaitForQueuedAsync(client, 1);
        var second = Task.Run(async () =>
        {
            var result = await client.EnqueueAsync(new TestArgs(Value: 2));
            secondDone.Set();
            return result;
        });
        await WaitForQueuedAsync(client, 2);
        Assert.False(first.IsCompleted);
        await held.DisposeAsync();

        await first.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(await holder.WaitAsync(TimeSpan.FromSeconds(90)), "the second caller was never completed while the first held the thread");
        Assert.NotNull(await client.GetAsync((await second).Id));
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Shared_inserts_wake_a_listening_worker_without_any_poll()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var ran = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var handlers = new JobHandlerRegistry().Register<TestArgs>((args, _, _) =>
        {
            ran[args.Value] = true;
            return Task.CompletedTask;
        });
        // Polls and the leader's stager far beyond the wait below: only the NOTIFY after each shared insert can wake it.
        await using var engine = await EngineHarness.StartAsync(db, handlers, o =>
            (o.PollInterval, o.Tuning.ListeningPollInterval, o.Tuning.PromoteInterval) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
        await engine.Engine.WhenListeningAsync(TimeSpan.FromSeconds(30));

        for (var round = 0; round < 3; round++)
        {
            var values = Enumerable.Range(round * 100, 100).ToList();
            await Task.WhenAll(values.Select(v => Task.Run(() => client.EnqueueAsync(new TestArgs(Value: v)))));
            await TestDatabase.WaitUntilAsync(() => Task.FromResult(values.All(ran.ContainsKey)), TimeSpan.FromSeconds(30), $"round {round} of shared inserts to run");
        }

        Assert.True(await db.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM {schema}.jobs") < 300, "no insert was shared");
    }

    [Fact]
    public async Task The_wake_up_of_a_shared_insert_arrives_after_its_rows_are_committed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        await using var listener = await db.DataSource.OpenConnectionAsync();
        var visibleAtWake = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, _) => woken.TrySetResult();
        await using (var listen = new NpgsqlCommand($"LISTEN \"{db.Schema}_insert\"", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        for (var round = 0; round < 20; round++)
        {
            woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = listener.WaitAsync();
            await db.ExecuteAsync("DELETE FROM {schema}.jobs");
            var inserts = Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => client.EnqueueAsync(new TestArgs(Value: i)))));
            await waiting;
            await woken.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // Read at once, on another connection: the statement that notified has committed its rows.
            visibleAtWake.Enqueue(await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
            await inserts;
            while (await listener.WaitAsync(TimeSpan.FromMilliseconds(50)))
            {
                // drain the wake-ups of the round's other statements
            }
        }

        Assert.All(visibleAtWake, count => Assert.True(count > 0, "a wake-up arrived before any row of its insert was visible"));
    }

    private static Task WaitForQueuedAsync(JobClient client, int count) =>
        TestDatabase.WaitUntilAsync(() => Task.FromResult(client.Singles.Waiting == count), TimeSpan.FromSeconds(30), $"{count} jobs queued for the next statement");
}
