using JobPlatform.TestSupport;

namespace JobPlatform.Core.Tests;

/// <summary>Retry and cancel of many jobs in one statement (the dashboard's batch actions, bulk actions over a search).</summary>
public sealed class BulkActionTests
{
    [Fact]
    public async Task Retrying_many_makes_each_retryable_job_available_and_counts_the_others_by_state()
    {
        await using var db = await TestDatabase.CreateAsync();
        var discarded = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, MaxAttempts = 2 });
        var completed = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed });
        var cancelled = await db.InsertJobAsync(new FixtureJob { State = JobState.Cancelled });
        var scheduled = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, Queue = "later" });
        var running = await db.InsertJobAsync(new FixtureJob { State = JobState.Running });
        var available = await db.InsertJobAsync(new FixtureJob { State = JobState.Available });
        var client = db.CreateClient();

        var outcome = await client.RetryManyAsync([discarded, completed, cancelled, scheduled, running, available, Guid.NewGuid(), discarded]);

        Assert.Equal((7, 4, 1, 0), (outcome.Requested, outcome.Changed, outcome.NotFound, outcome.UniqueKeyConflicts));
        Assert.Equal(new Dictionary<JobState, int> { [JobState.Running] = 1, [JobState.Available] = 1 }, outcome.Unchanged);
        foreach (var id in new[] { discarded, completed, cancelled, scheduled })
        {
            var job = (await client.GetAsync(id))!;
            Assert.Equal(JobState.Available, job.State);
            Assert.Null(job.FinalizedAt);
        }

        Assert.Equal(3, (await client.GetAsync(discarded))!.MaxAttempts);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs_archive"));
        Assert.Equal(JobState.Running, (await client.GetAsync(running))!.State);
    }

    [Fact]
    public async Task A_retry_whose_unique_key_is_taken_is_refused_and_the_rest_of_the_batch_still_retried()
    {
        await using var db = await TestDatabase.CreateAsync();
        var holder = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, UniqueKey = "report:1" });
        var blocked = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, UniqueKey = "report:1" });
        var free = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        var client = db.CreateClient();

        var outcome = await client.RetryManyAsync([blocked, free]);

        Assert.Equal((2, 1, 1), (outcome.Requested, outcome.Changed, outcome.UniqueKeyConflicts));
        Assert.Equal(JobState.Available, (await client.GetAsync(free))!.State);
        Assert.Equal(JobState.Discarded, (await client.GetAsync(blocked))!.State);
        Assert.Equal(JobState.Available, (await client.GetAsync(holder))!.State);
    }

    [Fact]
    public async Task Cancelling_many_cancels_waiting_jobs_tells_running_ones_and_counts_the_cancellations()
    {
        await using var db = await TestDatabase.CreateAsync();
        var available = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Kind = "k.one" });
        var scheduled = await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, Kind = "k.one" });
        var retryable = await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, Kind = "k.two" });
        var running = await db.InsertJobAsync(new FixtureJob { State = JobState.Running });
        var discarded = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        var completed = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed });
        var client = db.CreateClient();

        var outcome = await client.CancelManyAsync([available, scheduled, retryable, running, discarded, completed]);

        Assert.Equal((6, 4, 1, 0), (outcome.Requested, outcome.Changed, outcome.CancellationRequested, outcome.NotFound));
        Assert.Equal(new Dictionary<JobState, int> { [JobState.Discarded] = 1, [JobState.Completed] = 1 }, outcome.Unchanged);
        foreach (var id in new[] { available, scheduled, retryable })
        {
            Assert.Equal(JobState.Cancelled, (await client.GetAsync(id))!.State);
        }

        var told = (await client.GetAsync(running))!;
        Assert.Equal(JobState.Running, told.State);
        Assert.NotNull(told.CancelRequestedAt);
        Assert.Equal(JobState.Discarded, (await client.GetAsync(discarded))!.State);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT sum(cancelled) FROM {schema}.stats_minute"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT cancelled FROM {schema}.stats_minute WHERE kind = 'k.one'"));
    }

    [Fact]
    public async Task Deleting_failed_jobs_moves_them_to_cancelled_only_when_asked()
    {
        await using var db = await TestDatabase.CreateAsync();
        var discarded = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        var client = db.CreateClient();

        var outcome = await client.CancelManyAsync([discarded], includeDiscarded: true);

        Assert.Equal(1, outcome.Changed);
        var job = (await client.GetAsync(discarded))!;
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.NotNull(job.FinalizedAt);
        Assert.Single(job.Errors);
    }

    [Fact]
    public async Task A_single_cancel_of_a_waiting_job_is_counted_in_the_statistics()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var id = (await client.EnqueueAsync(new NoopArgs(), TimeSpan.FromHours(1))).Id;

        Assert.Equal(CancelOutcome.Cancelled, await client.CancelAsync(id));

        Assert.Equal(1, await db.ScalarAsync<long>("SELECT sum(cancelled) FROM {schema}.stats_minute WHERE kind = 'platform.noop'"));
    }

    [Fact]
    public async Task Too_many_ids_are_refused_naming_the_limit_and_nothing_changes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        var client = db.CreateClient();
        var ids = Enumerable.Range(0, JobClient.MaxBulkIds).Select(_ => Guid.NewGuid()).Append(id).ToList();

        var e = await Assert.ThrowsAsync<JobValidationException>(() => client.RetryManyAsync(ids));

        Assert.Contains("the limit is 10000", e.Message);
        Assert.Equal(JobState.Discarded, (await client.GetAsync(id))!.State);
    }

    [Fact]
    public async Task A_bulk_retry_wakes_the_workers_of_each_queue_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var a = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Queue = "qa" });
        var b = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Queue = "qa" });
        var c = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Queue = "qb" });
        await using var listener = await db.DataSource.OpenConnectionAsync();
        var payloads = new List<string>();
        listener.Notification += (_, n) => payloads.Add(n.Payload);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN \"{db.Schema}_insert\"", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await db.CreateClient().RetryManyAsync([a, b, c]);

        await TestDatabase.WaitUntilAsync(async () =>
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(100));
            return payloads.Count >= 2;
        }, TimeSpan.FromSeconds(5), "two notifications");
        Assert.Equal(["qa", "qb"], payloads.Order(StringComparer.Ordinal));
    }
}
