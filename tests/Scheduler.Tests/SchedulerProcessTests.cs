using System.Globalization;
using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.TestSupport;

namespace JobPlatform.Scheduler.Tests;

/// <summary>Real scheduler processes (and a real worker) on a real PostgreSQL.</summary>
public sealed class SchedulerProcessTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    private static Dictionary<string, IDictionary<string, string>> EverySecond(string id, string queue, string misfire = "FireOnceNow") => new()
    {
        [id] = new Dictionary<string, string> { ["Cron"] = "* * * * * ?", ["Kind"] = "platform.noop", ["Queue"] = queue, ["Misfire"] = misfire },
    };

    /// <summary>The fire times of a schedule's jobs, read back through Core, in order.</summary>
    private static async Task<List<DateTimeOffset>> FireTimesAsync(TestDatabase db, string id, string? queue = null)
    {
        var jobs = await db.CreateClient().ListAsync(new JobListQuery { Queue = queue, Limit = 10_000 });
        var prefix = RecurringFirer.KeyPrefix + id + ":";
        return jobs.Where(j => j.UniqueKey?.StartsWith(prefix, StringComparison.Ordinal) == true)
            .Select(j => DateTimeOffset.Parse(j.UniqueKey![prefix.Length..], CultureInfo.InvariantCulture))
            .Order()
            .ToList();
    }

    private static void AssertEverySecond(List<DateTimeOffset> fires)
    {
        Assert.Equal(fires.Count, fires.Distinct().Count());
        for (var i = 1; i < fires.Count; i++)
        {
            Assert.True(fires[i] - fires[i - 1] == TimeSpan.FromSeconds(1), $"fire time {fires[i - 1]:O} is followed by {fires[i]:O}: fire times were lost");
        }
    }

    [Fact]
    public async Task Two_replicas_enqueue_every_fire_time_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var (a, portA) = SchedulerProcess.Start(db.ConnectionString, db.Schema, EverySecond("tick", "ticks"));
        var (b, portB) = SchedulerProcess.Start(db.ConnectionString, db.Schema, EverySecond("tick", "ticks"));
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, Ready);
            await b.WaitReadyAsync(portB, Ready);
            await Task.Delay(TimeSpan.FromSeconds(20));
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{portA}/metrics") + await http.GetStringAsync($"http://127.0.0.1:{portB}/metrics");
            Assert.Contains("jobplatform_recurring_fires_total{outcome=\"enqueued\",schedule=\"tick\"}", metrics);
            Assert.Empty(MetricFamilies.Mismatches(metrics, MetricFamilies.Scheduler, "jobplatform_recurring_fires_total", "jobplatform_platform_task_runs_total"));
            a.Terminate();
            b.Terminate();
            Assert.Equal(0, await a.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var fires = await FireTimesAsync(db, "tick", "ticks");
        Assert.True(fires.Count >= 18, $"{fires.Count} fires in 20 s");
        AssertEverySecond(fires);
        // Quartz itself fired each time once: no replica found a fire already enqueued.
        Assert.DoesNotContain("already holds", a.Output + b.Output);
        Assert.Contains("enqueued", a.Output + b.Output);
    }

    [Fact]
    public async Task Killing_one_replica_loses_no_fire_time_the_misfire_policy_keeps()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var schedules = EverySecond("tick", "ticks", misfire: "IgnoreMisfires");
        var (a, portA) = SchedulerProcess.Start(db.ConnectionString, db.Schema, schedules);
        var (b, portB) = SchedulerProcess.Start(db.ConnectionString, db.Schema, schedules);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, Ready);
            await b.WaitReadyAsync(portB, Ready);
            await TestDatabase.WaitUntilAsync(async () => (await FireTimesAsync(db, "tick")).Count >= 5, Ready, "five fires");
            a.KillHard();
            var killedAt = DateTimeOffset.UtcNow;
            await a.WaitForExitAsync(TimeSpan.FromSeconds(10));

            // The survivor takes over the dead replica's triggers once its check-ins stop, then keeps firing.
            await TestDatabase.WaitUntilAsync(
                async () => (await FireTimesAsync(db, "tick")).LastOrDefault() >= killedAt.AddSeconds(15),
                TimeSpan.FromSeconds(60), "fires 15 s after the kill\n" + b.Tail());
            b.Terminate();
            Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        AssertEverySecond(await FireTimesAsync(db, "tick"));
    }

    [Fact]
    public async Task Definitions_changed_between_restarts_are_applied_and_removed_ones_stop()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var first = new Dictionary<string, IDictionary<string, string>>
        {
            ["keep"] = new Dictionary<string, string> { ["Cron"] = "* * * * * ?", ["Kind"] = "platform.noop", ["Queue"] = "keep" },
            ["gone"] = new Dictionary<string, string> { ["Cron"] = "* * * * * ?", ["Kind"] = "platform.noop", ["Queue"] = "gone" },
        };
        var (s1, port1) = SchedulerProcess.Start(db.ConnectionString, db.Schema, first);
        using (s1)
        {
            await s1.WaitReadyAsync(port1, Ready);
            await TestDatabase.WaitUntilAsync(async () => (await FireTimesAsync(db, "gone")).Count >= 2 && (await FireTimesAsync(db, "keep")).Count >= 2, Ready, "both schedules to fire");
            s1.Terminate();
            Assert.Equal(0, await s1.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var restartedAt = DateTimeOffset.UtcNow;
        var second = new Dictionary<string, IDictionary<string, string>>
        {
            ["keep"] = new Dictionary<string, string> { ["Cron"] = "*/2 * * * * ?", ["Kind"] = "platform.noop", ["Queue"] = "keep", ["Args"] = "{\"sleepMs\":7}" },
            ["added"] = new Dictionary<string, string> { ["Cron"] = "* * * * * ?", ["Kind"] = "platform.noop", ["Queue"] = "added" },
        };
        var (s2, port2) = SchedulerProcess.Start(db.ConnectionString, db.Schema, second);
        using (s2)
        {
            await s2.WaitReadyAsync(port2, Ready);
            Assert.Contains("1 added, 1 changed, 1 removed", s2.Output);
            await TestDatabase.WaitUntilAsync(
                async () => (await FireTimesAsync(db, "added")).Count >= 3 && (await FireTimesAsync(db, "keep")).Count(t => t > restartedAt) >= 2,
                Ready, "the new and the changed schedule to fire\n" + s2.Tail());
            s2.Terminate();
            Assert.Equal(0, await s2.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.DoesNotContain(await FireTimesAsync(db, "gone"), t => t > restartedAt);
        var keepAfter = (await db.CreateClient().ListAsync(new JobListQuery { Queue = "keep", Limit = 1000 })).Where(j => j.CreatedAt > restartedAt).ToList();
        Assert.NotEmpty(keepAfter);
        Assert.All(keepAfter, j => Assert.Equal(7, JsonDocument.Parse(j.ArgsJson).RootElement.GetProperty("sleepMs").GetInt32()));
        Assert.All(await FireTimesAsync(db, "keep"), t => Assert.True(t < restartedAt || t.Second % 2 == 0, $"{t:O} is not on the new */2 schedule"));

        var (exit, json) = await ChildProcess.RunJobctlAsync(db.ConnectionString, db.Schema, "recurring", "list", "--json");
        Assert.True(exit == 0, json);
        Assert.Equal(["added", "keep"], JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_bad_cron_or_time_zone_fails_the_start_naming_the_schedule()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var schedules = new Dictionary<string, IDictionary<string, string>>
        {
            ["broken-cron"] = new Dictionary<string, string> { ["Cron"] = "0 61 * * * ?", ["Kind"] = "platform.noop" },
            ["broken-zone"] = new Dictionary<string, string> { ["Cron"] = "@daily", ["Kind"] = "platform.noop", ["TimeZone"] = "Mars/Olympus" },
            ["fine"] = new Dictionary<string, string> { ["Cron"] = "@daily", ["Kind"] = "platform.noop" },
        };
        var (s, _) = SchedulerProcess.Start(db.ConnectionString, db.Schema, schedules);
        using (s)
        {
            Assert.NotEqual(0, await s.WaitForExitAsync(Ready));
            Assert.Contains("Schedule 'broken-cron': cron '0 61 * * * ?' is not valid", s.Output);
            Assert.Contains("Schedule 'broken-zone': time zone 'Mars/Olympus' is not known", s.Output);
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.recurring_schedules"));
    }

    [Fact]
    public async Task Jobctl_add_waits_for_the_scheduler_which_refuses_a_bad_cron_with_quartzs_reason_and_nothing_is_kept()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var (s, port) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>());
        using (s)
        {
            await s.WaitReadyAsync(port, Ready);
            Task<(int Exit, string Output)> Add(string id, string cron) =>
                ChildProcess.RunJobctlAsync(db.ConnectionString, db.Schema, "recurring", "add", id, "--cron", cron, "--kind", "platform.noop");

            var good = await Add("good", "0 30 2 * * ?");
            Assert.True(good.Exit == 0, good.Output);
            Assert.Contains("schedule 'good' added; the scheduler accepted its cron and applied it", good.Output);

            // Readers show the next fire time of the Quartz trigger that fires, and none while it is paused.
            var store = new RecurringSchedules(db.CreateClient());
            var now = DateTimeOffset.UtcNow;
            var next0230 = new DateTimeOffset(now.Year, now.Month, now.Day, 2, 30, 0, TimeSpan.Zero);
            next0230 = next0230 > now ? next0230 : next0230.AddDays(1);
            Assert.Equal(next0230, (await store.GetAsync("good"))!.NextFireAt);
            var (listExit, listJson) = await ChildProcess.RunJobctlAsync(db.ConnectionString, db.Schema, "recurring", "list", "--json");
            Assert.True(listExit == 0, listJson);
            Assert.Equal(next0230, JsonDocument.Parse(listJson).RootElement[0].GetProperty("nextFireAt").GetDateTimeOffset());
            var (_, table) = await ChildProcess.RunJobctlAsync(db.ConnectionString, db.Schema, "recurring", "list");
            Assert.Contains(next0230.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), table);
            await store.PauseAsync("good");
            Assert.Null((await store.GetAsync("good"))!.NextFireAt);
            await store.ResumeAsync("good");
            await TestDatabase.WaitUntilAsync(async () => (await store.GetAsync("good"))!.NextFireAt == next0230,
                TimeSpan.FromSeconds(20), "the resumed schedule's next fire time\n" + s.Tail());

            // A new schedule with a bad cron: refused with Quartz's reason, and removed again.
            var bad = await Add("bad", "0 61 * * * ?");
            Assert.True(bad.Exit == 2, bad.Output);
            Assert.Contains("jobctl: Schedule 'bad': cron '0 61 * * * ?' is not valid (", bad.Output);
            Assert.Contains("(checked by the scheduler; nothing is kept)", bad.Output);
            await TestDatabase.WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.recurring_schedules WHERE id = 'bad'") == 0,
                TimeSpan.FromSeconds(20), "the refused schedule to be gone\n" + s.Tail());

            // The same bad add again, once the row is gone: refused again, not taken for the first refusal.
            var again = await Add("bad", "0 61 * * * ?");
            Assert.True(again.Exit == 2, again.Output);
            Assert.Contains("(checked by the scheduler; nothing is kept)", again.Output);

            // A bad change of a good schedule: refused, and the good definition is back (and applied).
            var change = await Add("good", "0 0 25 * * ?");
            Assert.True(change.Exit == 2, change.Output);
            Assert.Contains("jobctl: Schedule 'good': cron '0 0 25 * * ?' is not valid (", change.Output);
            Assert.Contains("the previous definition is kept", change.Output);
            await TestDatabase.WaitUntilAsync(async () => await store.GetAsync("good") is { Applied: true, Schedule.Cron: "0 30 2 * * ?" },
                TimeSpan.FromSeconds(20), "the previous definition to be applied again\n" + s.Tail());
            Assert.Equal(3L, await db.ScalarAsync<long>(
                "SELECT count(*) FROM {schema}.audit_log WHERE action = 'recurring.refused' AND source = 'scheduler' AND target IN ('bad', 'good')"));
            s.Terminate();
            Assert.Equal(0, await s.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Contains("Recurring bad refused, not applied: Schedule 'bad': cron '0 61 * * * ?' is not valid", s.Output);
    }

    [Fact]
    public async Task Skip_if_running_enqueues_no_second_job_while_the_previous_one_runs()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var schedules = new Dictionary<string, IDictionary<string, string>>
        {
            ["slow"] = new Dictionary<string, string>
            {
                ["Cron"] = "* * * * * ?", ["Kind"] = "platform.noop", ["Args"] = "{\"sleepMs\":2500}", ["SkipIfRunning"] = "true",
            },
        };
        var (scheduler, schedulerPort) = SchedulerProcess.Start(db.ConnectionString, db.Schema, schedules);
        using (scheduler)
        {
            await scheduler.WaitReadyAsync(schedulerPort, Ready);
            var (worker, workerPort) = WorkerProcess.Start(db.ConnectionString, db.Schema, "worker-slow", concurrency: 4);
            using (worker)
            {
                await worker.WaitReadyAsync(workerPort, Ready);
                await TestDatabase.WaitUntilAsync(
                    async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state = 'completed'") >= 3,
                    TimeSpan.FromSeconds(60), "three runs of the slow schedule\n" + worker.Tail());
                scheduler.Terminate();
                Assert.Equal(0, await scheduler.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                await TestDatabase.WaitUntilAsync(
                    async () => await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE state <> 'completed'") == 0,
                    TimeSpan.FromSeconds(30), "the last run to finish");
                worker.Terminate();
                await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
        }

        Assert.Contains("skipped", scheduler.Output);
        // Each job was created only after the one before it had finished.
        var overlaps = await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT created_at, lag(finalized_at) OVER (ORDER BY created_at) AS previous_end FROM {schema}.jobs) runs " +
            "WHERE previous_end IS NULL AND created_at <> (SELECT min(created_at) FROM {schema}.jobs) OR created_at < previous_end");
        Assert.Equal(0L, overlaps);
        var runs = await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs");
        var span = await db.ScalarAsync<double>("SELECT extract(epoch FROM max(created_at) - min(created_at))::float8 FROM {schema}.jobs");
        Assert.True(runs <= span / 2.5 + 1, $"{runs} runs in {span:F1} s of 2.5-s jobs: some fires did not skip");
    }
}
