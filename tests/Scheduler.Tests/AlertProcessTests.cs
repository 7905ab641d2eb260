using System.Text.RegularExpressions;
using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.TestSupport;

namespace JobPlatform.Scheduler.Tests;

/// <summary>Alerts end to end: real scheduler processes evaluating, a real HTTP server posing as Slack, a real worker
/// engine draining the backlog.</summary>
public sealed partial class AlertProcessTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Settings(FakeSlack slack, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Alerts__Slack__WebhookUrl"] = slack.Hook(),
            ["Alerts__EvaluationInterval"] = "00:00:01",
            ["Alerts__MinimumMessageInterval"] = "00:00:00.100",
            ["Alerts__DashboardUrl"] = "https://jobs.example.com",
            ["Alerts__Rules__QueueLatency__Threshold"] = "00:00:03",
            ["Alerts__Rules__QueueLatency__For"] = "00:00:02",
            ["Alerts__Rules__NoWorkers__Enabled"] = "false",
            ["Alerts__Rules__FailureRate__Enabled"] = "false",
            ["Alerts__Rules__WorkerLost__Enabled"] = "false",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static List<SlackRequest> Messages(FakeSlack slack, string prefix) =>
        slack.Delivered.Where(r => r.Text.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private static async Task<JobEngine> DrainAsync(TestDatabase db, string queue)
    {
        var engine = new JobEngine(db.DataSource, db.EngineOptions(concurrency: 20, queue: queue));
        await engine.StartAsync();
        return engine;
    }

    [Fact]
    public async Task An_aging_backlog_fires_once_within_30_s_of_For_passing_and_resolves_once_when_it_drains_with_two_schedulers()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var settings = Settings(slack);
        var (a, portA) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(), settings);
        var (b, portB) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(), settings);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, Ready);
            await b.WaitReadyAsync(portB, Ready);
            await db.CreateClient().EnqueueManyAsync(Enumerable.Range(0, 50).Select(_ => new NoopArgs()), new EnqueueOptions { Queue = "backlog" });
            var enqueuedAt = DateTimeOffset.UtcNow;

            await slack.WaitForAsync(_ => Messages(slack, "[FIRING] QueueLatency: backlog").Count > 0, TimeSpan.FromSeconds(60),
                "the FIRING message\n" + a.Tail() + b.Tail());
            var firing = Messages(slack, "[FIRING] QueueLatency: backlog")[0];
            // Threshold 3 s plus For 2 s after the jobs became due, then at most 30 s.
            Assert.InRange(firing.At - enqueuedAt, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(35));
            var blocks = firing.Json.GetProperty("blocks");
            Assert.Contains("https://jobs.example.com/dashboard/backlog#queue-backlog", blocks.ToString());
            Assert.Contains("available 50", blocks.ToString());

            await using (await DrainAsync(db, "backlog"))
            {
                await slack.WaitForAsync(_ => Messages(slack, "[RESOLVED] QueueLatency: backlog").Count > 0, TimeSpan.FromSeconds(60), "the RESOLVED message");
                // Several more evaluations, by either replica: nothing is sent again.
                await Task.Delay(TimeSpan.FromSeconds(4));
            }

            Assert.Single(Messages(slack, "[FIRING] QueueLatency: backlog"));
            Assert.Single(Messages(slack, "[RESOLVED] QueueLatency: backlog"));
            var events = await new AlertStore(db.CreateClient()).ListEventsAsync(null, 10);
            Assert.Equal(["resolved", "firing"], events.Select(e => e.Kind));
            a.Terminate();
            b.Terminate();
            Assert.Equal(0, await a.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task When_the_evaluating_scheduler_is_killed_while_an_alert_fires_the_other_takes_over_without_a_second_firing_and_resolves_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var settings = Settings(slack);
        var (a, portA) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(), settings);
        var (b, portB) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(), settings);
        using (a)
        using (b)
        {
            await a.WaitReadyAsync(portA, Ready);
            await b.WaitReadyAsync(portB, Ready);
            await db.CreateClient().EnqueueManyAsync(Enumerable.Range(0, 10).Select(_ => new NoopArgs()), new EnqueueOptions { Queue = "stuck" });
            await slack.WaitForAsync(_ => Messages(slack, "[FIRING] QueueLatency: stuck").Count > 0, TimeSpan.FromSeconds(60), "the FIRING message");

            // Kill the replica that is evaluating now (Quartz may hand the task to either): the one whose count grows.
            using var http = new HttpClient();
            var (countA, countB) = (await EvaluationsAsync(http, portA), await EvaluationsAsync(http, portB));
            await Task.Delay(TimeSpan.FromSeconds(3));
            var grewA = await EvaluationsAsync(http, portA) - countA;
            var grewB = await EvaluationsAsync(http, portB) - countB;
            var (victim, survivor, survivorPort) = grewA >= grewB ? (a, b, portB) : (b, a, portA);
            victim.KillHard();
            await victim.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var takenOver = await EvaluationsAsync(http, survivorPort);
            await TestDatabase.WaitUntilAsync(async () => await EvaluationsAsync(http, survivorPort) > takenOver + 2, TimeSpan.FromSeconds(60),
                "the survivor to evaluate\n" + survivor.Tail());
            Assert.Single(Messages(slack, "[FIRING] QueueLatency: stuck"));

            await using (await DrainAsync(db, "stuck"))
            {
                await slack.WaitForAsync(_ => Messages(slack, "[RESOLVED] QueueLatency: stuck").Count > 0, TimeSpan.FromSeconds(60),
                    "the RESOLVED message from the survivor\n" + survivor.Tail());
                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            Assert.Single(Messages(slack, "[FIRING] QueueLatency: stuck"));
            Assert.Single(Messages(slack, "[RESOLVED] QueueLatency: stuck"));
            survivor.Terminate();
            Assert.Equal(0, await survivor.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task A_condition_that_flaps_within_For_sends_nothing_and_a_firing_alert_repeats_only_after_RepeatInterval()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (s, port) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(),
            Settings(slack, ("Alerts__Rules__QueueLatency__Threshold", "00:00:01"), ("Alerts__Rules__QueueLatency__For", "00:00:05"),
                ("Alerts__Rules__QueueLatency__RepeatInterval", "00:00:08")));
        using (s)
        {
            await s.WaitReadyAsync(port, Ready);
            var client = db.CreateClient();
            await client.EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "flappy" });

            // The backlog is old enough throughout, but the queue is paused every 2 s: the condition never holds for 5 s.
            for (var i = 0; i < 8; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                await (i % 2 == 0 ? client.PauseQueueAsync("flappy") : client.ResumeQueueAsync("flappy"));
            }

            Assert.Empty(Messages(slack, "[FIRING] QueueLatency: flappy"));

            await client.ResumeQueueAsync("flappy");
            await slack.WaitForAsync(_ => Messages(slack, "[FIRING] QueueLatency: flappy").Count > 0, TimeSpan.FromSeconds(30), "the FIRING message\n" + s.Tail());
            var firing = Messages(slack, "[FIRING] QueueLatency: flappy")[0];
            await slack.WaitForAsync(_ => Messages(slack, "[FIRING] QueueLatency: flappy").Count > 1, TimeSpan.FromSeconds(30), "the repeat");
            var repeat = Messages(slack, "[FIRING] QueueLatency: flappy")[1];
            Assert.Contains("(still firing)", repeat.Text);
            // The evaluator decides when to repeat; delivery adds its own delay to each message, so the gap is measured
            // where the decision is recorded: the outbox rows' creation times.
            var decidedGap = await db.ScalarAsync<double>(
                "SELECT extract(epoch FROM (array_agg(created_at ORDER BY created_at))[2] - min(created_at)) FROM {schema}.alert_notifications WHERE rule = 'QueueLatency' AND kind IN ('firing', 'repeat')");
            Assert.InRange(decidedGap, 7.5, 12);
            Assert.InRange(repeat.At - firing.At, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(14));
            s.Terminate();
            Assert.Equal(0, await s.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task A_queue_with_available_jobs_and_no_worker_serving_it_fires_NoWorkers_and_the_metrics_show_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await FakeSlack.StartAsync();
        var (s, port) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(),
            Settings(slack, ("Alerts__Rules__NoWorkers__Enabled", "true"), ("Alerts__Rules__NoWorkers__For", "00:00:01"),
                ("Alerts__Rules__QueueLatency__Enabled", "false"), ("Alerts__Rules__QueueDepth__Enabled", "true")));
        using (s)
        {
            await s.WaitReadyAsync(port, Ready);
            await db.CreateClient().EnqueueAsync(new NoopArgs(), new EnqueueOptions { Queue = "orphan" });

            await slack.WaitForAsync(_ => Messages(slack, "[FIRING] NoWorkers: orphan").Count > 0, TimeSpan.FromSeconds(60), "the NoWorkers message\n" + s.Tail());
            Assert.Contains("1 jobs available and no live worker serves the queue", Messages(slack, "[FIRING] NoWorkers: orphan")[0].Text);
            using var http = new HttpClient();
            // The sent counter moves once the delivery is recorded, just after Slack answered: poll for it.
            var metrics = "";
            await TestDatabase.WaitUntilAsync(async () => SentMetric().IsMatch(metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics")),
                TimeSpan.FromSeconds(10), "the sent notification in /metrics");
            Assert.Contains("jobplatform_alerts_firing{rule=\"NoWorkers\"} 1", metrics);
            Assert.Empty(MetricFamilies.Mismatches(metrics, MetricFamilies.Scheduler, "jobplatform_alerts_evaluations_total",
                "jobplatform_alerts_firing", "jobplatform_alerts_notifications_total", "jobplatform_alerts_undelivered", "jobplatform_platform_task_runs_total"));
            // Every enabled rule has a series, 0 when it does not fire; a disabled rule has none.
            Assert.Contains("jobplatform_alerts_firing{rule=\"QueueDepth\"} 0", metrics);
            Assert.DoesNotContain("jobplatform_alerts_firing{rule=\"FailureRate\"}", metrics);
            Assert.DoesNotContain(slack.Hook(), s.Output);
            s.Terminate();
            Assert.Equal(0, await s.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task A_bad_alert_setting_stops_the_scheduler_naming_the_key_and_not_the_webhook()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (s, _) = SchedulerProcess.Start(db.ConnectionString, db.Schema, new Dictionary<string, IDictionary<string, string>>(), new Dictionary<string, string>
        {
            ["Alerts__Slack__WebhookUrl"] = "hooks.slack.com/services/T1/B1/very-secret",
            ["Alerts__Rules__QueueLatency__Threshold"] = "soon",
        });
        using (s)
        {
            Assert.NotEqual(0, await s.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Alerts:Slack:WebhookUrl is not an http(s) URL", s.Output);
            Assert.DoesNotContain("very-secret", s.Output);
        }
    }

    private static async Task<long> EvaluationsAsync(HttpClient http, int port)
    {
        try
        {
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            var match = EvaluationMetric().Match(metrics);
            return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    [GeneratedRegex("jobplatform_alerts_evaluations_total\\{outcome=\"ok\"\\} (\\d+)")]
    private static partial Regex EvaluationMetric();

    [GeneratedRegex("jobplatform_alerts_notifications_total\\{channel=\"slack\",outcome=\"sent\"\\} [1-9]")]
    private static partial Regex SentMetric();
}
