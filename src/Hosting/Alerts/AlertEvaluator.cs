using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.Core.Monitoring;

namespace JobPlatform.Hosting.Alerts;

/// <summary>What one evaluation reads: the queues, their recent outcomes and the workers, at one moment.</summary>
/// <param name="Now">The database's clock at the reading.</param>
/// <param name="Queues">Every queue an operator would see.</param>
/// <param name="Minutes">Outcomes per queue and minute over the longest window a rule needs.</param>
/// <param name="Workers">Workers with a heartbeat in the last hour.</param>
/// <param name="WorkerLostAfter">How long without a heartbeat makes a worker lost (the workers' setting).</param>
public sealed record AlertSnapshot(
    DateTimeOffset Now, IReadOnlyList<QueueOverview> Queues, IReadOnlyDictionary<string, IReadOnlyList<OutcomeBucket>> Minutes,
    IReadOnlyList<WorkerInfo> Workers, TimeSpan WorkerLostAfter);

/// <summary>
/// Turns a snapshot and the stored states into the changes of one evaluation, as Prometheus and Alertmanager
/// treat alerts: a condition that holds is pending until it has held for the rule's <c>For</c>, then firing
/// (one message), sent again every <c>RepeatInterval</c> while it lasts, and resolved (one message) when it stops;
/// a condition that stops while pending sends nothing. Paused queues raise no latency or no-worker alert. Subjects
/// of one rule that change in the same evaluation share one message per channel. Pure: no I/O, time from the snapshot.
/// </summary>
public sealed class AlertEvaluator(AlertOptions options)
{
    private const string Firing = "firing";
    private const string Repeat = "repeat";
    private const string Resolved = "resolved";

    /// <summary>The changes to write.</summary>
    public AlertChanges Evaluate(IReadOnlyList<AlertRule> rules, AlertSnapshot snapshot, IReadOnlyList<AlertState> states)
    {
        var changes = new AlertChanges();
        var now = snapshot.Now;
        foreach (var rule in rules)
        {
            var findings = rule.Enabled ? Find(rule, snapshot) : [];
            var current = states.Where(s => s.Rule == rule.Name).ToDictionary(s => s.Subject, StringComparer.Ordinal);
            var messages = new Dictionary<string, List<AlertItem>> { [Firing] = [], [Repeat] = [], [Resolved] = [] };
            foreach (var finding in findings.Values.Where(f => f.Holds))
            {
                var details = JsonSerializer.Serialize(finding.Figures);
                current.TryGetValue(finding.Subject, out var state);
                var since = state?.Since ?? now;
                if (state is { Status: AlertStatus.Firing })
                {
                    var repeat = state.LastNotifiedAt is not { } last || now - last >= rule.RepeatInterval;
                    changes.Upserts.Add(state with { Value = finding.Value, DetailsJson = details, EvaluatedAt = now, LastNotifiedAt = repeat ? now : state.LastNotifiedAt });
                    if (repeat)
                    {
                        messages[Repeat].Add(Item(rule, finding, state.FiringSince ?? since, now, resolved: false));
                        changes.Events.Add((rule.Name, finding.Subject, Repeat, finding.Value, details));
                    }
                }
                else if (now - since >= rule.For)
                {
                    changes.Upserts.Add(new AlertState(rule.Name, finding.Subject, AlertStatus.Firing, since, now, finding.Value, details, now, now));
                    messages[Firing].Add(Item(rule, finding, since, now, resolved: false));
                    changes.Events.Add((rule.Name, finding.Subject, Firing, finding.Value, details));
                }
                else
                {
                    changes.Upserts.Add(new AlertState(rule.Name, finding.Subject, AlertStatus.Pending, since, null, finding.Value, details, null, now));
                }
            }

            foreach (var state in current.Values.Where(s => !(findings.TryGetValue(s.Subject, out var f) && f.Holds)))
            {
                changes.Deletes.Add((rule.Name, state.Subject));
                if (state.Status == AlertStatus.Firing)
                {
                    var finding = findings.TryGetValue(state.Subject, out var f) ? f : Gone(rule, state);
                    messages[Resolved].Add(Item(rule, finding, state.FiringSince ?? state.Since, now, resolved: true));
                    changes.Events.Add((rule.Name, state.Subject, Resolved, finding.Value, JsonSerializer.Serialize(finding.Figures)));
                }
            }

            foreach (var (kind, items) in messages.Where(m => m.Value.Count > 0))
            {
                var message = AlertStore.FormatMessage(Message(rule, kind, items, now));
                foreach (var channel in rule.Channels)
                {
                    changes.Notifications.Add(new NewAlertNotification(channel, kind, rule.Name, items.Select(i => i.Subject).ToList(), message));
                }
            }
        }

        return changes;
    }

    /// <summary>A message saying that alerts reach the channel (<c>jobctl alerts test</c>, the dashboard's button).</summary>
    public AlertMessage TestMessage(string requestedBy, DateTimeOffset now) => new()
    {
        Kind = "test",
        Title = "[TEST] JobPlatform alerts reach this channel",
        Summary = $"[TEST] JobPlatform alerts reach this channel (asked for by {requestedBy} at {AlertText.Time(now, now)}).",
        Meaning = "A test: nothing is wrong. Alerts for backlogs, missing workers, failures and lost workers arrive here.",
        DashboardUrl = DashboardLink("/dashboard/alerts"),
        At = now,
    };

    /// <summary>The links a message carries, from <see cref="AlertOptions.DashboardUrl"/> and <see cref="AlertOptions.RunbookUrl"/>.</summary>
    private string? DashboardLink(string path) =>
        string.IsNullOrWhiteSpace(options.DashboardUrl) ? null : options.DashboardUrl.TrimEnd('/') + path;

    private string? RunbookLink(AlertRule rule) =>
        !string.IsNullOrWhiteSpace(options.RunbookUrl) ? options.RunbookUrl.TrimEnd('#') + "#" + rule.Name.ToLowerInvariant()
        : DashboardLink("/dashboard/alerts#rule-" + rule.Name);

    private AlertMessage Message(AlertRule rule, string kind, List<AlertItem> items, DateTimeOffset now)
    {
        var tag = kind == Resolved ? "[RESOLVED]" : "[FIRING]";
        var what = items.Count == 1 ? items[0].Subject : rule.Kind == AlertRuleKind.WorkerLost ? $"{items.Count} workers" : $"{items.Count} queues";
        var title = $"{tag} {rule.Name}: {what}" + (kind == Repeat ? " (still firing)" : "");
        var summary = $"{title} — " + string.Join("; ", items.Select(i => $"{i.Subject}: {i.Text}"));
        return new AlertMessage
        {
            Kind = kind,
            Rule = rule.Name,
            Title = title.Length <= 150 ? title : title[..149] + "…",
            Summary = summary.Length <= 3000 ? summary : summary[..2999] + "…",
            Items = items,
            Meaning = AlertRules.Meaning(rule.Kind),
            RunbookUrl = RunbookLink(rule),
            DashboardUrl = DashboardLink("/dashboard/backlog"),
            At = now,
        };
    }

    private AlertItem Item(AlertRule rule, Finding finding, DateTimeOffset since, DateTimeOffset now, bool resolved)
    {
        var when = resolved ? $"; it had fired since {AlertText.Time(since, now)}" : $"; since {AlertText.Time(since, now)}";
        return new AlertItem
        {
            Subject = finding.Subject,
            Text = (resolved ? "ok again: " : "") + finding.Text + when,
            Link = rule.Kind == AlertRuleKind.WorkerLost ? DashboardLink("/dashboard/servers") : DashboardLink("/dashboard/backlog#queue-" + finding.Subject),
            Figures = finding.Figures,
        };
    }

    private static Dictionary<string, Finding> Find(AlertRule rule, AlertSnapshot snapshot)
    {
        var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
        if (rule.Kind == AlertRuleKind.WorkerLost)
        {
            foreach (var w in snapshot.Workers)
            {
                var silent = snapshot.Now - w.HeartbeatAt;
                var lost = silent > snapshot.WorkerLostAfter;
                found[w.Id] = new Finding(w.Id, lost, silent.TotalSeconds,
                    lost ? $"no heartbeat from {w.Host} (pid {w.ProcessId}) for {AlertText.Duration(silent)}; its running jobs were returned to their queues"
                         : $"{w.Host} (pid {w.ProcessId}) sends heartbeats again",
                    new Dictionary<string, string>
                    {
                        ["host"] = w.Host, ["last heartbeat"] = AlertText.Time(w.HeartbeatAt, snapshot.Now), ["queues"] = string.Join(", ", w.Queues.Keys),
                    });
            }

            return found;
        }

        foreach (var q in snapshot.Queues.Where(q => rule.Watches(q.Name)))
        {
            var window = rule.Kind == AlertRuleKind.FailureRate ? rule.Window : TimeSpan.FromMinutes(15);
            var outcomes = snapshot.Minutes.TryGetValue(q.Name, out var minutes)
                ? minutes.Where(b => b.Start >= snapshot.Now - window).Aggregate(OutcomeCounts.Zero, (t, b) => t + b.Counts)
                : OutcomeCounts.Zero;
            var finished = outcomes.Completed + outcomes.Discarded;
            var failureRate = finished == 0 ? 0 : (double)outcomes.Discarded / finished;
            var figures = new Dictionary<string, string>
            {
                ["available"] = AlertText.Count(q.Available),
                ["oldest waiting"] = q.Available == 0 ? "–" : AlertText.Duration(q.OldestAvailableAge),
                ["failure rate"] = finished == 0 ? "–" : $"{AlertText.Percent(failureRate)} of {AlertText.Count(finished)} in {AlertText.Duration(window)}",
                ["live workers"] = AlertText.Count(q.LiveWorkers),
                ["running"] = q.Slots > 0 ? $"{AlertText.Count(q.Running)} of {AlertText.Count(q.Slots)} slots" : AlertText.Count(q.Running),
            };
            var threshold = AlertRules.DescribeThreshold(rule.Kind, rule.Threshold);
            found[q.Name] = rule.Kind switch
            {
                // The text of a condition that does not hold says why (a RESOLVED message shows it).
                AlertRuleKind.QueueLatency => new Finding(q.Name, !q.Paused && q.Available > 0 && q.OldestAvailableAge.TotalSeconds > rule.Threshold,
                    q.OldestAvailableAge.TotalSeconds,
                    q.Available == 0 ? "no job waits"
                    : q.Paused ? "the queue is paused (a paused queue raises no latency alert)"
                    : $"oldest available job waiting {AlertText.Duration(q.OldestAvailableAge)} (threshold {threshold})", figures),
                AlertRuleKind.NoWorkers => new Finding(q.Name, !q.Paused && q.Available > 0 && q.LiveWorkers == 0, q.LiveWorkers,
                    q.Available == 0 ? "no job waits"
                    : q.Paused ? "the queue is paused (a paused queue raises no no-worker alert)"
                    : q.LiveWorkers == 0 ? $"{AlertText.Count(q.Available)} jobs available and no live worker serves the queue"
                    : $"{AlertText.Count(q.LiveWorkers)} live workers serve the queue", figures),
                AlertRuleKind.FailureRate => new Finding(q.Name, finished >= rule.MinimumCount && failureRate > rule.Threshold, failureRate,
                    $"{AlertText.Percent(failureRate)} of {AlertText.Count(finished)} finished jobs failed for good in the last {AlertText.Duration(window)} (threshold {threshold})",
                    figures),
                _ => new Finding(q.Name, q.Available > rule.Threshold, q.Available,
                    $"{AlertText.Count(q.Available)} jobs available (threshold {threshold})", figures),
            };
        }

        return found;
    }

    /// <summary>A subject that has disappeared from the snapshot (a queue with nothing left, a worker pruned).</summary>
    private static Finding Gone(AlertRule rule, AlertState state) => new(state.Subject, false, 0,
        rule.Kind == AlertRuleKind.WorkerLost ? "the worker's row was pruned" : "no job waits any more",
        JsonSerializer.Deserialize<Dictionary<string, string>>(state.DetailsJson) ?? []);

    private sealed record Finding(string Subject, bool Holds, double Value, string Text, Dictionary<string, string> Figures);
}
