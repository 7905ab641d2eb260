using JobPlatform.Core.Alerts;
using JobPlatform.Core.Monitoring;
using JobPlatform.Hosting.Alerts;

namespace JobPlatform.Scheduler.Tests;

/// <summary>The rules' state machine on snapshots, without I/O: each evaluation's changes are fed to the next.</summary>
public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly AlertOptions Options = new()
    {
        DashboardUrl = "https://jobs.example.com",
        Slack = new SlackOptions { WebhookUrl = "https://hooks.slack.example/T/B/secret" },
    };

    private static IReadOnlyList<AlertRule> Rules(Action<AlertOptions>? configure = null)
    {
        var options = new AlertOptions { Slack = Options.Slack };
        configure?.Invoke(options);
        return AlertRules.Resolve(options, ["slack"]);
    }

    private static QueueOverview Queue(string name, DateTimeOffset now, TimeSpan? oldest = null, long available = 10, int workers = 1, bool paused = false) =>
        new(name, available, 0, 0, 0, oldest is { } age ? now - age : null, paused ? now.AddHours(-1) : null, workers, workers * 10, now);

    private static AlertSnapshot Snapshot(DateTimeOffset now, params QueueOverview[] queues) =>
        new(now, queues, new Dictionary<string, IReadOnlyList<OutcomeBucket>>(), [], TimeSpan.FromSeconds(30));

    /// <summary>Runs evaluations in order, carrying the states, and returns every notification made.</summary>
    private sealed class Run(IReadOnlyList<AlertRule> rules)
    {
        private readonly AlertEvaluator _evaluator = new(Options);
        private List<AlertState> _states = [];

        public List<NewAlertNotification> Sent { get; } = [];

        public IReadOnlyList<AlertState> States => _states;

        public AlertChanges Step(AlertSnapshot snapshot)
        {
            var changes = _evaluator.Evaluate(rules, snapshot, _states);
            var byKey = _states.ToDictionary(s => (s.Rule, s.Subject));
            foreach (var d in changes.Deletes)
            {
                byKey.Remove(d);
            }

            foreach (var u in changes.Upserts)
            {
                byKey[(u.Rule, u.Subject)] = u;
            }

            _states = [.. byKey.Values];
            Sent.AddRange(changes.Notifications);
            return changes;
        }
    }

    [Fact]
    public void A_backlog_older_than_the_threshold_is_pending_for_For_then_fires_once_and_resolves_once()
    {
        var run = new Run(Rules(o => o.Rules["QueueLatency"] = new AlertRuleOptions { Threshold = "00:05:00", For = TimeSpan.FromMinutes(1) }));

        run.Step(Snapshot(T0, Queue("mail", T0, TimeSpan.FromMinutes(6))));
        Assert.Empty(run.Sent);
        Assert.Equal(AlertStatus.Pending, Assert.Single(run.States).Status);

        run.Step(Snapshot(T0.AddSeconds(30), Queue("mail", T0.AddSeconds(30), TimeSpan.FromMinutes(6.5))));
        Assert.Empty(run.Sent);

        run.Step(Snapshot(T0.AddSeconds(61), Queue("mail", T0.AddSeconds(61), TimeSpan.FromMinutes(7))));
        var firing = Assert.Single(run.Sent);
        Assert.Equal(("slack", "firing", "QueueLatency"), (firing.Channel, firing.Kind, firing.Rule));
        var message = AlertStore.ParseMessage(firing.MessageJson);
        Assert.Equal("[FIRING] QueueLatency: mail", message.Title);
        Assert.Contains("oldest available job waiting 7 min (threshold 5 min)", message.Items[0].Text);
        Assert.Contains("since 10:00 UTC", message.Items[0].Text);
        Assert.Equal("https://jobs.example.com/dashboard/backlog#queue-mail", message.Items[0].Link);
        Assert.Equal("https://jobs.example.com/dashboard/alerts#rule-QueueLatency", message.RunbookUrl);
        Assert.Equal("10", message.Items[0].Figures["available"]);

        run.Step(Snapshot(T0.AddSeconds(75), Queue("mail", T0.AddSeconds(75), TimeSpan.FromMinutes(7.2))));
        Assert.Single(run.Sent);

        run.Step(Snapshot(T0.AddSeconds(90), Queue("mail", T0.AddSeconds(90), TimeSpan.FromSeconds(2))));
        Assert.Equal(2, run.Sent.Count);
        var resolved = AlertStore.ParseMessage(run.Sent[1].MessageJson);
        Assert.Equal("resolved", run.Sent[1].Kind);
        Assert.StartsWith("[RESOLVED] QueueLatency: mail", resolved.Title);
        Assert.StartsWith("ok again: oldest available job waiting 2 s (threshold 5 min)", resolved.Items[0].Text);
        Assert.Empty(run.States);
    }

    [Fact]
    public void Pausing_a_firing_queue_resolves_its_latency_and_no_worker_alerts_saying_it_is_paused()
    {
        var run = new Run(Rules(o =>
        {
            o.Rules["QueueLatency"] = new AlertRuleOptions { For = TimeSpan.Zero };
            o.Rules["NoWorkers"] = new AlertRuleOptions { For = TimeSpan.Zero };
        }));
        run.Step(Snapshot(T0, Queue("mail", T0, TimeSpan.FromHours(2), workers: 0)));
        Assert.Equal(["firing", "firing"], run.Sent.Select(n => n.Kind));

        run.Step(Snapshot(T0.AddSeconds(15), Queue("mail", T0.AddSeconds(15), TimeSpan.FromHours(2), workers: 0, paused: true)));

        var resolved = run.Sent.Skip(2).Select(n => AlertStore.ParseMessage(n.MessageJson)).ToList();
        Assert.Equal(["resolved", "resolved"], resolved.Select(m => m.Kind));
        Assert.All(resolved, m => Assert.StartsWith("ok again: the queue is paused", m.Items[0].Text));
        Assert.Empty(run.States);
    }

    [Fact]
    public void A_condition_that_flaps_within_For_sends_nothing()
    {
        var run = new Run(Rules(o => o.Rules["QueueLatency"] = new AlertRuleOptions { Threshold = "00:01:00", For = TimeSpan.FromMinutes(2) }));
        for (var i = 0; i < 20; i++)
        {
            var now = T0.AddSeconds(15 * i);
            var age = i % 4 == 3 ? TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(3);
            run.Step(Snapshot(now, Queue("mail", now, age)));
        }

        Assert.Empty(run.Sent);
    }

    [Fact]
    public void A_firing_alert_repeats_only_after_RepeatInterval()
    {
        var run = new Run(Rules(o => o.Rules["QueueLatency"] = new AlertRuleOptions
        {
            Threshold = "00:01:00", For = TimeSpan.Zero, RepeatInterval = TimeSpan.FromMinutes(30),
        }));
        for (var minute = 0; minute <= 65; minute += 5)
        {
            var now = T0.AddMinutes(minute);
            run.Step(Snapshot(now, Queue("mail", now, TimeSpan.FromMinutes(10 + minute))));
        }

        Assert.Equal(["firing", "repeat", "repeat"], run.Sent.Select(n => n.Kind));
        Assert.EndsWith("(still firing)", AlertStore.ParseMessage(run.Sent[1].MessageJson).Title);
    }

    [Fact]
    public void Paused_queues_raise_no_latency_or_no_worker_alert()
    {
        var run = new Run(Rules(o =>
        {
            o.Rules["QueueLatency"] = new AlertRuleOptions { For = TimeSpan.Zero };
            o.Rules["NoWorkers"] = new AlertRuleOptions { For = TimeSpan.Zero };
        }));

        run.Step(Snapshot(T0, Queue("mail", T0, TimeSpan.FromHours(2), workers: 0, paused: true)));

        Assert.Empty(run.Sent);
        Assert.Empty(run.States);
    }

    [Fact]
    public void Queues_that_go_red_in_the_same_evaluation_share_one_message_per_channel()
    {
        var rules = AlertRules.Resolve(new AlertOptions
        {
            Slack = Options.Slack,
            Channels = { ["ops"] = new AlertChannelOptions { Type = "webhook", Url = "https://ops.example/hook" } },
            Rules = { ["NoWorkers"] = new AlertRuleOptions { For = TimeSpan.Zero } },
        }, ["slack", "ops"]);
        var run = new Run(rules);

        run.Step(Snapshot(T0, Enumerable.Range(1, 20).Select(i => Queue($"q{i:00}", T0, TimeSpan.FromSeconds(1), workers: 0)).ToArray()));

        var sent = run.Sent.Where(n => n.Rule == "NoWorkers").ToList();
        Assert.Equal(["ops", "slack"], sent.Select(n => n.Channel).Order());
        Assert.All(sent, n => Assert.Equal(20, n.Subjects.Count));
        Assert.Equal("[FIRING] NoWorkers: 20 queues", AlertStore.ParseMessage(sent[0].MessageJson).Title);
        Assert.Contains("10 jobs available and no live worker serves the queue", AlertStore.ParseMessage(sent[0].MessageJson).Items[0].Text);
    }

    [Fact]
    public void The_failure_rate_counts_discarded_over_finished_jobs_in_the_window_and_needs_a_minimum_count()
    {
        var run = new Run(Rules(o => o.Rules["FailureRate"] = new AlertRuleOptions { For = TimeSpan.Zero, MinimumCount = 20 }));
        AlertSnapshot At(DateTimeOffset now, long completed, long discarded) => new(now, [Queue("billing", now)],
            new Dictionary<string, IReadOnlyList<OutcomeBucket>>
            {
                ["billing"] = [new OutcomeBucket(now.AddMinutes(-20), new OutcomeCounts(1000, 0, 1000, 0, 0)),
                               new OutcomeBucket(now.AddMinutes(-3), new OutcomeCounts(completed, 50, discarded, 0, 0))],
            }, [], TimeSpan.FromSeconds(30));

        run.Step(At(T0, completed: 5, discarded: 5));
        Assert.Empty(run.Sent);
        run.Step(At(T0.AddMinutes(1), completed: 80, discarded: 20));
        var message = AlertStore.ParseMessage(Assert.Single(run.Sent).MessageJson);
        Assert.Contains("20 % of 100 finished jobs failed for good in the last 15 min (threshold 10 %)", message.Items[0].Text);
    }

    [Fact]
    public void A_worker_without_heartbeats_fires_WorkerLost_and_queue_depth_is_off_by_default()
    {
        var run = new Run(Rules());
        var lost = new WorkerInfo("w-1", "host-a", 42, new Dictionary<string, int> { ["default"] = 10 }, T0.AddHours(-1), T0.AddMinutes(-2), 0);
        var live = lost with { Id = "w-2", HeartbeatAt = T0.AddSeconds(-3) };

        run.Step(new AlertSnapshot(T0, [Queue("default", T0, available: 1_000_000)], new Dictionary<string, IReadOnlyList<OutcomeBucket>>(), [lost, live],
            TimeSpan.FromSeconds(30)));

        var sent = Assert.Single(run.Sent);
        Assert.Equal("WorkerLost", sent.Rule);
        Assert.Equal(["w-1"], sent.Subjects);
        Assert.Contains("no heartbeat from host-a (pid 42) for 2 min", AlertStore.ParseMessage(sent.MessageJson).Items[0].Text);
    }

    [Fact]
    public void A_rule_watches_only_the_queues_its_globs_name()
    {
        var rule = Rules(o => o.Rules["QueueLatency"] = new AlertRuleOptions { Queues = ["mail*", "billing"] }).Single(r => r.Kind == AlertRuleKind.QueueLatency);

        Assert.True(rule.Watches("mail.eu"));
        Assert.True(rule.Watches("billing"));
        Assert.False(rule.Watches("billing.eu"));
        Assert.False(rule.Watches("reports"));
    }

    [Fact]
    public void Bad_settings_are_refused_naming_each_key_and_never_showing_a_webhook_url()
    {
        var options = new AlertOptions
        {
            Slack = new SlackOptions { WebhookUrl = "not a url but secret-token-123" },
            Rules =
            {
                ["QueueLatency"] = new AlertRuleOptions { Threshold = "five minutes", Channels = ["pager"] },
                ["FailureRate"] = new AlertRuleOptions { Threshold = "150%", Window = TimeSpan.FromSeconds(10) },
                ["NoWorkers"] = new AlertRuleOptions { Threshold = "3" },
                ["QueueLatencyy"] = new AlertRuleOptions(),
            },
        };

        var channels = Assert.Throws<InvalidOperationException>(() => AlertChannels.From(options));
        Assert.Contains("Alerts:Slack:WebhookUrl is not an http(s) URL", channels.Message);
        Assert.DoesNotContain("secret-token-123", channels.Message);

        var rules = Assert.Throws<InvalidOperationException>(() => AlertRules.Resolve(options, []));
        Assert.Contains("Alerts:Rules:QueueLatency:Threshold is 'five minutes'", rules.Message);
        Assert.Contains("Alerts:Rules:QueueLatency:Channels names 'pager', which is not configured", rules.Message);
        Assert.Contains("Alerts:Rules:FailureRate:Threshold is '150%'", rules.Message);
        Assert.Contains("Alerts:Rules:FailureRate:Window is 00:00:10", rules.Message);
        Assert.Contains("Alerts:Rules:NoWorkers:Threshold is set, but NoWorkers has no threshold", rules.Message);
        Assert.Contains("Alerts:Rules:QueueLatencyy is not a rule", rules.Message);
    }
}
