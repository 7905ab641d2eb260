using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Scheduler.Tests;

/// <summary>Firing recurring schedules (<see cref="RecurringFirer"/>, in Core) on a real PostgreSQL: scheduled fires as the
/// scheduler makes them, and manual triggers as jobctl and the dashboard make them.</summary>
public sealed class RecurringFirerTests
{
    private static readonly DateTimeOffset FireTime = new(2026, 11, 23, 2, 30, 0, TimeSpan.Zero);

    private static RecurringSchedules Store(TestDatabase db) => RecurringStoreTests.Store(db);

    private static RecurringSchedule Noop(string id, string cron = "0 30 2 * * ?") => RecurringStoreTests.Noop(id, cron);

    [Fact]
    public async Task A_fire_enqueues_one_job_with_the_fire_key_and_a_repeated_fire_finds_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var firer = new RecurringFirer(db.CreateClient());
        await store.AddOrUpdateAsync(Noop("nightly") with { Queue = "reports", Priority = 3 });

        var first = await firer.FireAsync("nightly", FireTime);
        var again = await firer.FireAsync("nightly", FireTime);

        Assert.Equal(RecurringFireOutcome.Enqueued, first.Outcome);
        Assert.Equal("recurring:nightly:2026-11-23T02:30:00Z", first.UniqueKey);
        Assert.Equal(RecurringFireOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.JobId, again.JobId);
        var job = await db.CreateClient().GetAsync(first.JobId!.Value);
        Assert.NotNull(job);
        Assert.Equal(("platform.noop", "reports", 3, "recurring:nightly:2026-11-23T02:30:00Z"), (job.Kind, job.Queue, job.Priority, job.UniqueKey));
        Assert.Contains("recurring:nightly", job.Tags);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Concurrent_fires_of_one_fire_time_make_one_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var firer = new RecurringFirer(db.CreateClient());
        await store.AddOrUpdateAsync(Noop("race"));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => firer.FireAsync("race", FireTime))));
        Assert.Single(results, r => r.Outcome == RecurringFireOutcome.Enqueued);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Skip_if_running_skips_while_the_previous_job_is_unfinished_and_fires_once_it_finished()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var firer = new RecurringFirer(db.CreateClient());
        var client = db.CreateClient();
        await store.AddOrUpdateAsync(Noop("single", "0 * * * * ?") with { SkipIfRunning = true });

        var first = await firer.FireAsync("single", FireTime);
        var skipped = await firer.FireAsync("single", FireTime.AddMinutes(1));
        await client.CancelAsync(first.JobId!.Value);
        var third = await firer.FireAsync("single", FireTime.AddMinutes(2));

        Assert.Equal(RecurringFireOutcome.Enqueued, first.Outcome);
        Assert.Equal(RecurringFireOutcome.Skipped, skipped.Outcome);
        Assert.Equal(first.JobId, skipped.JobId);
        Assert.Equal(RecurringFireOutcome.Enqueued, third.Outcome);
        var info = await store.GetAsync("single");
        Assert.Equal((third.JobId, RecurringFireOutcome.Enqueued, FireTime.AddMinutes(2)), (info!.LastJobId, info.LastOutcome, info.LastFireAt));
    }

    [Fact]
    public async Task Paused_schedules_do_not_fire_but_can_be_triggered_by_hand()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var firer = new RecurringFirer(db.CreateClient());
        await store.AddOrUpdateAsync(Noop("p"));
        Assert.True(await store.PauseAsync("p"));

        Assert.Equal(RecurringFireOutcome.Paused, (await firer.FireAsync("p", FireTime)).Outcome);
        var manual = await firer.TriggerAsync("p");
        Assert.Equal(RecurringFireOutcome.Enqueued, manual.Outcome);
        Assert.StartsWith("recurring:p:", manual.UniqueKey);
        Assert.True(await store.ResumeAsync("p"));
        Assert.Equal(RecurringFireOutcome.Enqueued, (await firer.FireAsync("p", FireTime)).Outcome);
        Assert.False(await store.PauseAsync("missing"));
        Assert.Equal(RecurringFireOutcome.NotFound, (await firer.TriggerAsync("missing")).Outcome);
    }
}
