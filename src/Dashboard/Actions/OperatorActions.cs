using System.Globalization;
using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.Core.Audit;
using JobPlatform.Core.Monitoring;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Dashboard.Actions;

/// <summary>
/// Every change the dashboard makes, through JobPlatform's own operations (retry, cancel, pause, trigger), each
/// recorded in the audit log with who asked, from where, on which jobs and what came of it, refused ones too.
/// </summary>
internal sealed class OperatorActions(
    JobClient client, RecurringSchedules schedules, RecurringFirer firer, JobMonitor monitor, AuditLog audit, AlertStore alerts, DashboardSettings settings,
    ILogger<OperatorActions> logger)
{
    /// <summary>The role an action needs, in words.</summary>
    public const string ViewerRefusal = "Your role (viewer) can look but not change anything; ask an admin for the operator role.";

    public Task<ActionOutcome> RetryAsync(Operator who, IReadOnlyCollection<Guid> ids, string page, CancellationToken ct) =>
        ActAsync(who, "jobs.retry", page, ids, null, async () => BulkMessages.Retried(await client.RetryManyAsync(ids, ct)));

    public Task<ActionOutcome> CancelAsync(Operator who, IReadOnlyCollection<Guid> ids, bool includeFailed, string page, CancellationToken ct) =>
        ActAsync(who, "jobs.cancel", page, ids, null, async () => BulkMessages.Cancelled(await client.CancelManyAsync(ids, includeFailed, ct)));

    /// <summary>Retries (or cancels) the newest <see cref="DashboardSettings.BulkActionLimit"/> jobs matching a search.</summary>
    public async Task<ActionOutcome> ActOnMatchesAsync(Operator who, JobSearch search, bool retry, string description, CancellationToken ct)
    {
        if (!who.CanAct)
        {
            return await ActAsync(who, retry ? "jobs.retry" : "jobs.cancel", description, [], null, () => Task.FromResult(ActionOutcome.Refused(ViewerRefusal)));
        }

        IReadOnlyList<Guid> ids;
        try
        {
            ids = await monitor.SearchIdsAsync(search, settings.BulkActionLimit, ct);
        }
        catch (JobValidationException e)
        {
            return ActionOutcome.Refused(e.Message);
        }

        if (ids.Count == 0)
        {
            return ActionOutcome.Refused("No job matches the search any more; nothing changed.");
        }

        return retry
            ? await ActAsync(who, "jobs.retry", "search: " + description, ids, ids.Count, async () => BulkMessages.Retried(await client.RetryManyAsync(ids, ct)))
            : await ActAsync(who, "jobs.cancel", "search: " + description, ids, ids.Count,
                async () => BulkMessages.Cancelled(await client.CancelManyAsync(ids, includeDiscarded: true, ct)));
    }

    public Task<ActionOutcome> PauseQueueAsync(Operator who, string queue, CancellationToken ct) =>
        ActAsync(who, "queue.pause", queue, [], 0, async () =>
        {
            await client.PauseQueueAsync(queue, ct);
            return new ActionOutcome(true, $"Paused queue {queue}: workers take no new jobs from it; running ones finish.");
        });

    public Task<ActionOutcome> ResumeQueueAsync(Operator who, string queue, CancellationToken ct) =>
        ActAsync(who, "queue.resume", queue, [], 0, async () =>
        {
            await client.ResumeQueueAsync(queue, ct);
            return new ActionOutcome(true, $"Resumed queue {queue}: its workers were woken.");
        });

    public Task<ActionOutcome> TriggerAsync(Operator who, IReadOnlyCollection<string> scheduleIds, CancellationToken ct) =>
        ActAsync(who, "recurring.trigger", string.Join(", ", scheduleIds), [], 0, async () =>
        {
            var enqueued = new List<string>();
            var missing = new List<string>();
            foreach (var id in scheduleIds)
            {
                var result = await firer.TriggerAsync(id, ct);
                (result.Outcome is RecurringFireOutcome.NotFound ? missing : enqueued).Add(id);
            }

            var message = enqueued.Count > 0 ? $"Triggered {string.Join(", ", enqueued)}: a job of each was enqueued." : "Nothing was triggered.";
            if (missing.Count > 0)
            {
                message += $" No such schedule: {string.Join(", ", missing)}.";
            }

            return new ActionOutcome(enqueued.Count > 0, message);
        });

    /// <summary>Pauses (or resumes) schedules: a paused schedule does not fire until resumed; configured ones too.</summary>
    public Task<ActionOutcome> SetSchedulesPausedAsync(Operator who, IReadOnlyCollection<string> scheduleIds, bool paused, CancellationToken ct) =>
        ActAsync(who, paused ? "recurring.pause" : "recurring.resume", string.Join(", ", scheduleIds), [], 0, async () =>
        {
            var changed = new List<string>();
            var missing = new List<string>();
            foreach (var id in scheduleIds)
            {
                (await (paused ? schedules.PauseAsync(id, ct) : schedules.ResumeAsync(id, ct)) ? changed : missing).Add(id);
            }

            var message = changed.Count > 0
                ? (paused ? $"Paused {string.Join(", ", changed)}: no fires until resumed." : $"Resumed {string.Join(", ", changed)}; fires missed while paused are not made up.")
                : "Nothing changed.";
            if (missing.Count > 0)
            {
                message += $" No such schedule: {string.Join(", ", missing)}.";
            }

            return new ActionOutcome(changed.Count > 0, message);
        });

    public Task<ActionOutcome> RemoveSchedulesAsync(Operator who, IReadOnlyCollection<string> scheduleIds, CancellationToken ct) =>
        ActAsync(who, "recurring.remove", string.Join(", ", scheduleIds), [], 0, async () =>
        {
            var removed = new List<string>();
            var refused = new List<string>();
            foreach (var id in scheduleIds)
            {
                try
                {
                    if (await schedules.RemoveAsync(id, ct))
                    {
                        removed.Add(id);
                    }
                    else
                    {
                        refused.Add($"{id}: no such schedule");
                    }
                }
                catch (JobValidationException e)
                {
                    refused.Add(e.Message);
                }
            }

            var message = removed.Count > 0 ? $"Removed {string.Join(", ", removed)}." : "Nothing was removed.";
            if (refused.Count > 0)
            {
                message += " " + string.Join(" ", refused);
            }

            return new ActionOutcome(removed.Count > 0, message);
        });

    /// <summary>Puts a test message for <paramref name="channel"/> into the alerts outbox; the scheduler delivers it.</summary>
    public Task<ActionOutcome> SendTestAlertAsync(Operator who, string channel, string? dashboardUrl, CancellationToken ct) =>
        ActAsync(who, "alerts.test", channel, [], 0, async () =>
        {
            var channels = await alerts.ListChannelsAsync(ct);
            if (!channels.Any(c => string.Equals(c.Name, channel, StringComparison.OrdinalIgnoreCase)))
            {
                return ActionOutcome.Refused($"No channel named {channel} is configured on the scheduler.");
            }

            var message = new Hosting.Alerts.AlertEvaluator(new Hosting.Alerts.AlertOptions { DashboardUrl = dashboardUrl })
                .TestMessage(who.Name, DateTimeOffset.UtcNow);
            var id = await alerts.EnqueueAsync(new NewAlertNotification(channel, "test", null, [], AlertStore.FormatMessage(message)), ct);
            return new ActionOutcome(true, $"Test message {id} for {channel} is in the outbox; the scheduler sends it at its next evaluation (see Not delivered below if it fails).");
        });

    /// <summary>Records a sign-in (or sign-out) in the audit log.</summary>
    public Task RecordSessionAsync(Operator who, string action, CancellationToken ct) =>
        RecordAsync(who, action, null, [], 0, "ok", ct);

    private async Task<ActionOutcome> ActAsync(
        Operator who, string action, string? target, IReadOnlyCollection<Guid> ids, int? count, Func<Task<ActionOutcome>> act)
    {
        ActionOutcome outcome;
        if (!who.CanAct)
        {
            outcome = ActionOutcome.Refused(ViewerRefusal);
        }
        else
        {
            try
            {
                outcome = await act();
            }
            catch (JobValidationException e)
            {
                outcome = ActionOutcome.Refused(e.Message);
            }
        }

        await RecordAsync(who, action, target, ids, count ?? ids.Count, (outcome.Done ? "" : "refused: ") + outcome.Message, CancellationToken.None);
        logger.LogInformation("{Actor} ({Role}) from {Source}: {Action} {Target} on {Count} jobs: {Outcome}",
            who.Name, who.Role?.ToString() ?? "none", who.Source, action, target, count ?? ids.Count, outcome.Message);
        return outcome;
    }

    private async Task RecordAsync(Operator who, string action, string? target, IReadOnlyCollection<Guid> ids, int count, string outcome, CancellationToken ct)
    {
        try
        {
            await audit.RecordAsync(new AuditEntry
            {
                Actor = who.Name,
                Role = who.Role?.ToString().ToLower(CultureInfo.InvariantCulture),
                Action = action,
                Target = target,
                JobIds = ids,
                JobCount = count,
                Outcome = outcome,
                Source = who.Source,
            }, ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // The action itself is done; losing its record must not hide that from the operator, but it is logged loudly.
            logger.LogError(e, "Could not record {Action} by {Actor} in the audit log", action, who.Name);
        }
    }
}
