using System.Diagnostics.Metrics;
using JobPlatform.Core.Alerts;

namespace JobPlatform.Hosting.Alerts;

/// <summary>The alert instruments, on the scheduler's <c>/metrics</c>.</summary>
public static class AlertMetrics
{
    /// <summary>The meter.</summary>
    public static readonly Meter Meter = new("JobPlatform.Alerts");

    /// <summary>Delivery attempts of this replica, by channel and outcome (sent, retry, failed).</summary>
    public static readonly Counter<long> Notifications = Meter.CreateCounter<long>(
        "jobplatform.alerts.notifications", description: "Alert delivery attempts on this replica, by channel and outcome (sent, retry, failed).");

    /// <summary>Evaluations of this replica, by outcome (ok, failed).</summary>
    public static readonly Counter<long> Evaluations = Meter.CreateCounter<long>(
        "jobplatform.alerts.evaluations", description: "Alert evaluations run on this replica, by outcome (ok, failed).");

    private static Func<AlertCounts?>? _counts;
    private static IReadOnlyList<string> _rules = [];

    /// <summary>Firing alerts per rule, and notifications pending or failed for good in the last 7 days, as the
    /// database holds them (the same on every replica). Every rule in force has a series, 0 when nothing fires,
    /// so a Prometheus rule on it sees the value rather than an absent series.</summary>
    internal static void ObserveCounts(Func<AlertCounts?> counts, IReadOnlyList<string> rules)
    {
        _rules = rules;
        if (Interlocked.Exchange(ref _counts, counts) is not null)
        {
            return;
        }

        Meter.CreateObservableGauge("jobplatform.alerts.firing", () =>
            _counts?.Invoke() is { } c
                ? _rules.Union(c.FiringByRule.Keys).Select(rule => new Measurement<long>(
                    c.FiringByRule.TryGetValue(rule, out var n) ? n : 0, new KeyValuePair<string, object?>("rule", rule)))
                : [],
            description: "Alerts firing now, by rule.");
        Meter.CreateObservableGauge("jobplatform.alerts.undelivered", () =>
            _counts?.Invoke() is { } c
                ? [new Measurement<long>(c.PendingNotifications, new KeyValuePair<string, object?>("state", "pending")),
                   new Measurement<long>(c.FailedNotifications, new KeyValuePair<string, object?>("state", "failed"))]
                : Array.Empty<Measurement<long>>(),
            description: "Alert notifications not delivered: pending, and failed for good in the last 7 days.");
    }
}
