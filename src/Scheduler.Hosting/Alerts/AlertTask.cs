using JobPlatform.Core.Alerts;
using JobPlatform.Core.Monitoring;
using JobPlatform.Hosting;
using JobPlatform.Hosting.Alerts;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Scheduler.Hosting.Alerts;

/// <summary>
/// The alerts platform task: on one scheduler replica at a time, every <see cref="AlertOptions.EvaluationInterval"/>,
/// outside the job queues (a stuck queue cannot delay its own alert): reads a snapshot (three statements, each an
/// index range: queues, the last window's per-minute outcomes, workers), evaluates the rules against the stored
/// states, writes the changes and their notifications in one transaction, then delivers what the outbox holds.
/// </summary>
internal sealed class AlertTask(
    JobMonitor monitor, AlertStore store, AlertDelivery delivery, IReadOnlyList<AlertRule> rules, AlertChannels channels,
    AlertOptions options, AlertEvaluator evaluator, TimeSpan workerLostAfter, ILogger<AlertTask> logger) : IPlatformTask
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
    private long _lastPrune;
    private bool _saved;

    public string Name => "alerts";

    public TimeSpan Interval => options.EvaluationInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateAsync(cancellationToken).ConfigureAwait(false);
            AlertMetrics.Evaluations.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            AlertMetrics.Evaluations.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            throw;
        }
        finally
        {
            // Whatever the evaluation did, what is due goes out (a failed evaluation must not hold back earlier alerts).
            await delivery.DeliverDueAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EvaluateAsync(CancellationToken ct)
    {
        if (!_saved)
        {
            // The rules and channels in force, for the dashboard and jobctl (names and settings: no URL).
            await store.SaveRulesAsync(rules.Select(r => (r.Name, r.Enabled, r.SettingsJson())).ToList(), ct).ConfigureAwait(false);
            await store.SaveChannelsAsync(channels.Channels.Select(c => (c.Key, c.Value.Type)).ToList(), ct).ConfigureAwait(false);
            _saved = true;
        }

        var queues = await monitor.GetQueuesAsync(ct).ConfigureAwait(false);
        var now = queues.Count > 0 ? queues[0].ReadAt : await monitor.GetDatabaseTimeAsync(ct).ConfigureAwait(false);
        var window = rules.Where(r => r.Kind == AlertRuleKind.FailureRate).Select(r => r.Window).Append(TimeSpan.FromMinutes(15)).Max();
        var minutes = await monitor.GetQueueMinutesAsync(now - window, ct).ConfigureAwait(false);
        var workers = await monitor.GetWorkersAsync(TimeSpan.FromHours(1), ct).ConfigureAwait(false);
        var states = await store.ListStatesAsync(ct).ConfigureAwait(false);
        var changes = evaluator.Evaluate(rules, new AlertSnapshot(now, queues, minutes, workers, workerLostAfter), states);
        await store.ApplyAsync(changes, ct).ConfigureAwait(false);
        foreach (var (rule, subject, kind, value, _) in changes.Events)
        {
            logger.LogWarning("Alert {Rule} {Kind} for {Subject} (value {Value})", rule, kind, subject, value);
        }

        if (Environment.TickCount64 - _lastPrune > PruneInterval.TotalMilliseconds || _lastPrune == 0)
        {
            await store.PruneAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(90), ct).ConfigureAwait(false);
            _lastPrune = Environment.TickCount64;
        }
    }
}
