using JobPlatform.Core;
using JobPlatform.Hosting;
using JobPlatform.TestSupport;

namespace JobPlatform.Scheduler.Tests;

/// <summary>The recurring schedules store in Core, as jobctl, the dashboard and the scheduler use it, on a real PostgreSQL.</summary>
public sealed class RecurringStoreTests
{
    private static readonly DateTimeOffset FireTime = new(2026, 11, 23, 2, 30, 0, TimeSpan.Zero);

    private static RecurringSchedules Store(TestDatabase db) => new(db.CreateClient(), new QuartzTimetable());

    private static RecurringSchedule Noop(string id, string cron = "0 30 2 * * ?") => new(id, cron, "platform.noop") { ArgsJson = "{\"sleepMs\":1}" };

    [Fact]
    public async Task A_fire_enqueues_one_job_with_the_fire_key_and_a_repeated_fire_finds_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        await store.AddOrUpdateAsync(Noop("nightly") with { Queue = "reports", Priority = 3 });

        var first = await store.FireAsync("nightly", FireTime);
        var again = await store.FireAsync("nightly", FireTime);

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
        await store.AddOrUpdateAsync(Noop("race"));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.FireAsync("race", FireTime))));
        Assert.Single(results, r => r.Outcome == RecurringFireOutcome.Enqueued);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs"));
    }

    [Fact]
    public async Task Skip_if_running_skips_while_the_previous_job_is_unfinished_and_fires_once_it_finished()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var client = db.CreateClient();
        await store.AddOrUpdateAsync(Noop("single", "0 * * * * ?") with { SkipIfRunning = true });

        var first = await store.FireAsync("single", FireTime);
        var skipped = await store.FireAsync("single", FireTime.AddMinutes(1));
        await client.CancelAsync(first.JobId!.Value);
        var third = await store.FireAsync("single", FireTime.AddMinutes(2));

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
        await store.AddOrUpdateAsync(Noop("p"));
        Assert.True(await store.PauseAsync("p"));

        Assert.Equal(RecurringFireOutcome.Paused, (await store.FireAsync("p", FireTime)).Outcome);
        var manual = await store.TriggerAsync("p");
        Assert.Equal(RecurringFireOutcome.Enqueued, manual.Outcome);
        Assert.StartsWith("recurring:p:", manual.UniqueKey);
        Assert.True(await store.ResumeAsync("p"));
        Assert.Equal(RecurringFireOutcome.Enqueued, (await store.FireAsync("p", FireTime)).Outcome);
        Assert.False(await store.PauseAsync("missing"));
        Assert.Equal(RecurringFireOutcome.NotFound, (await store.TriggerAsync("missing")).Outcome);
    }

    [Fact]
    public async Task Configuration_sync_adds_changes_and_removes_configured_schedules_only()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        await store.AddOrUpdateAsync(Noop("by-api"));

        var first = await store.SyncConfigurationAsync([Noop("a"), Noop("b")]);
        await store.PauseAsync("a");
        var same = await store.SyncConfigurationAsync([Noop("a"), Noop("b")]);
        var changed = await store.SyncConfigurationAsync([Noop("a", "0 0 3 * * ?"), Noop("c")]);

        Assert.Equal(new RecurringSyncResult(2, 0, 0), first);
        Assert.Equal(new RecurringSyncResult(0, 0, 0), same);
        Assert.Equal(new RecurringSyncResult(1, 1, 1), changed);
        var list = await store.ListAsync();
        Assert.Equal(["a", "by-api", "c"], list.Select(s => s.Schedule.Id));
        var a = list[0];
        Assert.Equal(("0 0 3 * * ?", true, RecurringSource.Configuration), (a.Schedule.Cron, a.Paused, a.Source));
        Assert.Equal(RecurringSource.Api, list[1].Source);

        // What the scheduler applies: b's removal and a's new shape; then nothing is pending.
        var pending = await store.GetTriggersAsync(changedOnly: true);
        Assert.Contains(pending, t => t.Id == "b" && t.Removed);
        foreach (var trigger in pending)
        {
            await store.MarkAppliedAsync(trigger);
        }

        Assert.Empty(await store.GetTriggersAsync(changedOnly: true));
        Assert.Equal(["a", "by-api", "c"], (await store.GetTriggersAsync(changedOnly: false)).Select(t => t.Id));
    }

    [Fact]
    public async Task Configured_schedules_cannot_be_changed_or_removed_through_the_api()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        await store.SyncConfigurationAsync([Noop("conf")]);

        var change = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(Noop("conf", "@hourly")));
        var remove = await Assert.ThrowsAsync<JobValidationException>(() => store.RemoveAsync("conf"));

        Assert.Contains("comes from configuration (JobPlatform:Recurring:conf)", change.Message);
        Assert.Contains("comes from configuration", remove.Message);
        Assert.Equal("0 30 2 * * ?", (await store.GetAsync("conf"))!.Schedule.Cron);
    }

    [Theory]
    [InlineData("bad id!", "0 30 2 * * ?", "UTC", "platform.noop", "{}", "Schedule id 'bad id!' is not valid")]
    [InlineData("x", "0 61 * * * ?", "UTC", "platform.noop", "{}", "Schedule 'x': cron '0 61 * * * ?' is not valid")]
    [InlineData("x", "0 0 0 1 1 ? 2020", "UTC", "platform.noop", "{}", "Schedule 'x': cron '0 0 0 1 1 ? 2020' never fires again")]
    [InlineData("x", "@daily", "Mars/Base", "platform.noop", "{}", "Schedule 'x': time zone 'Mars/Base' is not known")]
    [InlineData("x", "@daily", "UTC", "Bad Kind", "{}", "Schedule 'x': Kind 'Bad Kind' is not valid")]
    [InlineData("x", "@daily", "UTC", "platform.noop", "[1]", "Schedule 'x': ")]
    public async Task Bad_definitions_are_refused_with_the_schedule_named_and_nothing_written(
        string id, string cron, string zone, string kind, string args, string message)
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var schedule = new RecurringSchedule(id, cron, kind) { TimeZone = zone, ArgsJson = args };

        var api = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(schedule));
        var sync = await Assert.ThrowsAsync<JobValidationException>(() => store.SyncConfigurationAsync([Noop("fine"), schedule]));

        Assert.StartsWith(message, api.Message);
        Assert.Contains(message, sync.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.recurring_schedules"));
    }

    [Fact]
    public async Task Queue_and_priority_are_checked_like_any_enqueue()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = Store(db);
        var e = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(Noop("q") with { Queue = "Bad Queue", Priority = 3 }));
        Assert.Contains("Queue name 'Bad Queue' is not valid", e.Message);
        e = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(Noop("q") with { Priority = 12 }));
        Assert.Contains("Priority 12 is out of range", e.Message);
    }
}
