using JobPlatform.Core;
using JobPlatform.Scheduler.Hosting;
using JobPlatform.TestSupport;

namespace JobPlatform.Scheduler.Tests;

/// <summary>The recurring schedules store in Core, as jobctl, the dashboard and the scheduler use it, on a real PostgreSQL.
/// Firing is <see cref="RecurringFirerTests"/>.</summary>
public sealed class RecurringStoreTests
{
    internal static RecurringSchedules Store(TestDatabase db) => new(db.CreateClient(), new QuartzTimetable());

    internal static RecurringSchedule Noop(string id, string cron = "0 30 2 * * ?") => new(id, cron, "platform.noop") { ArgsJson = "{\"sleepMs\":1}" };

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

    [Fact]
    public async Task Without_a_timetable_the_cron_is_stored_as_given_with_no_next_fire_and_everything_else_is_still_checked()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = new RecurringSchedules(db.CreateClient());

        Assert.True(await store.AddOrUpdateAsync(Noop("later", "0 61 * * * ?")));
        var info = await store.GetAsync("later");
        Assert.Equal(("0 61 * * * ?", null, false), (info!.Schedule.Cron, info.NextFireAt, info.Applied));
        var zone = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(Noop("z") with { TimeZone = "Mars/Base" }));
        Assert.StartsWith("Schedule 'z': time zone 'Mars/Base' is not known", zone.Message);
        var empty = await Assert.ThrowsAsync<JobValidationException>(() => store.AddOrUpdateAsync(Noop("e", " ")));
        Assert.StartsWith("Schedule 'e': cron is empty", empty.Message);
    }

    [Theory]
    [InlineData("0 61 * * * ?", "UTC", "Schedule 'x': cron '0 61 * * * ?' is not valid (")]
    [InlineData("0 0 0 1 1 ? 2020", "UTC", "Schedule 'x': cron '0 0 0 1 1 ? 2020' never fires again")]
    [InlineData("@daily", "Mars/Base", "Schedule 'x': time zone 'Mars/Base' is not known")]
    public async Task The_scheduler_checks_a_stored_triggers_timing_with_the_message_of_an_add(string cron, string zone, string message)
    {
        await using var db = await TestDatabase.CreateAsync();
        var e = Assert.Throws<JobValidationException>(() => Store(db).ValidateTiming("x", cron, zone));
        Assert.StartsWith(message, e.Message);
        Store(db).ValidateTiming("x", "0 30 2 * * ?", "Europe/Berlin");
    }

    [Fact]
    public async Task A_refusal_is_recorded_once_per_definition_and_a_change_makes_it_stale()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = db.CreateClient();
        var store = new RecurringSchedules(client);
        var refusals = new RecurringRefusals(client);
        await store.AddOrUpdateAsync(Noop("r", "0 61 * * * ?"));

        Assert.Null(await refusals.FindAsync((await store.GetAsync("r"))!));
        Assert.True(await refusals.RecordAsync((await store.GetAsync("r"))!, "Schedule 'r': cron '0 61 * * * ?' is not valid", "scheduler@a"));
        Assert.False(await refusals.RecordAsync((await store.GetAsync("r"))!, "Schedule 'r': cron '0 61 * * * ?' is not valid", "scheduler@b"));
        Assert.Equal("Schedule 'r': cron '0 61 * * * ?' is not valid", await refusals.FindAsync((await store.GetAsync("r"))!));

        await store.AddOrUpdateAsync(Noop("r", "0 62 * * * ?"));
        Assert.Null(await refusals.FindAsync((await store.GetAsync("r"))!));
        Assert.True(await refusals.RecordAsync((await store.GetAsync("r"))!, "Schedule 'r': cron '0 62 * * * ?' is not valid", "scheduler@a"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.audit_log WHERE action = 'recurring.refused' AND target = 'r' AND source = 'scheduler'"));
    }
}
