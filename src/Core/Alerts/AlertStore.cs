using System.Text.Json;
using JobPlatform.Core.Storage;

namespace JobPlatform.Core.Alerts;

/// <summary>
/// Backlog alerts in PostgreSQL: the rules in force, each rule's state per subject, the history, and the outbox
/// of notifications. The evaluating scheduler writes an evaluation's changes with <see cref="ApplyAsync"/> in one
/// transaction, so a failover neither repeats nor forgets an alert; the dashboard and jobctl read the same tables.
/// </summary>
public sealed class AlertStore
{
    /// <summary>Largest page of the history and notification lists.</summary>
    public const int MaxPageSize = 1_000;

    private const int MaxErrorLength = 2000;

    private readonly AlertRecordStore _store;

    /// <summary>Creates the store on a client's database and schema.</summary>
    public AlertStore(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _store = new AlertRecordStore(client.DataSource, client.Sql);
    }

    /// <summary>Reads a stored message.</summary>
    public static AlertMessage ParseMessage(string json) =>
        JsonSerializer.Deserialize(json, PlatformJsonContext.Default.AlertMessage) ?? throw new JsonException("empty alert message");

    /// <summary>Writes a message for the outbox.</summary>
    public static string FormatMessage(AlertMessage message) => JsonSerializer.Serialize(message, PlatformJsonContext.Default.AlertMessage);

    /// <summary>Makes the stored rules these (changed ones updated, missing ones removed).</summary>
    public async Task SaveRulesAsync(IReadOnlyList<(string Name, bool Enabled, string SettingsJson)> rules, CancellationToken cancellationToken = default) =>
        await _store.SaveRulesAsync(rules.Select(r => r.Name).ToArray(), rules.Select(r => r.Enabled).ToArray(),
            rules.Select(r => r.SettingsJson).ToArray(), cancellationToken).ConfigureAwait(false);

    /// <summary>Makes the stored channels these (name and type: never a URL).</summary>
    public async Task SaveChannelsAsync(IReadOnlyList<(string Name, string Type)> channels, CancellationToken cancellationToken = default) =>
        await _store.SaveChannelsAsync(channels.Select(c => c.Name).ToArray(), channels.Select(c => c.Type).ToArray(), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>The channels the evaluating scheduler delivers to, by name, with their type (slack or webhook).</summary>
    public async Task<IReadOnlyList<(string Name, string Type)>> ListChannelsAsync(CancellationToken cancellationToken = default) =>
        await _store.ListChannelsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The rules in force, by name.</summary>
    public async Task<IReadOnlyList<AlertRuleRecord>> ListRulesAsync(CancellationToken cancellationToken = default) =>
        await _store.ListRulesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Every pending or firing alert.</summary>
    public async Task<IReadOnlyList<AlertState>> ListStatesAsync(CancellationToken cancellationToken = default) =>
        await _store.ListStatesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Writes an evaluation's changes in one transaction, in one round trip.</summary>
    public async Task ApplyAsync(AlertChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        var commands = changes.Deletes.Select(d => _store.DeleteStateCommand(d.Rule, d.Subject))
            .Concat(changes.Upserts.Select(_store.UpsertStateCommand))
            .Concat(changes.Events.Select(e => _store.InsertEventCommand(e.Rule, e.Subject, e.Kind, e.Value, e.DetailsJson)))
            .Concat(changes.Notifications.Select(_store.InsertNotificationCommand));
        await _store.RunInTransactionAsync(commands, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts one message into the outbox (a test message, say); the evaluating scheduler delivers it.</summary>
    /// <returns>The notification's number.</returns>
    public async Task<long> EnqueueAsync(NewAlertNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return await _store.InsertNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Firings, repeats and resolutions, newest first, older than event <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        return await _store.ListEventsAsync(before, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notifications, newest first, older than <paramref name="before"/>; with <paramref name="undeliveredOnly"/>
    /// only pending and failed ones.</summary>
    public async Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(long? before, int limit, bool undeliveredOnly = false,
        CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        return await _store.ListNotificationsAsync(before, limit, undeliveredOnly, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pending notifications whose next attempt is due, oldest first.</summary>
    public async Task<IReadOnlyList<AlertNotification>> DueNotificationsAsync(int limit, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        return await _store.DueNotificationsAsync(limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that a notification was delivered.</summary>
    public Task MarkSentAsync(long id, string? answer = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, "sent", null, answer, cancellationToken);

    /// <summary>Records a failed attempt to try again at <paramref name="nextAttemptAt"/>.</summary>
    public Task MarkRetryAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, "pending", nextAttemptAt, error, cancellationToken);

    /// <summary>Records that a notification cannot be delivered (the channel refused it for good).</summary>
    public Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, "failed", null, error, cancellationToken);

    /// <summary>The figures the alert metrics report.</summary>
    public Task<AlertCounts> CountAsync(CancellationToken cancellationToken = default) => _store.CountAsync(cancellationToken);

    /// <summary>Removes delivered or failed notifications older than <paramref name="notifications"/> and events
    /// older than <paramref name="events"/>.</summary>
    public Task PruneAsync(TimeSpan notifications, TimeSpan events, CancellationToken cancellationToken = default) =>
        _store.PruneAsync(notifications, events, cancellationToken);

    private Task UpdateAsync(long id, string state, DateTimeOffset? next, string? error, CancellationToken ct) =>
        _store.UpdateNotificationAsync(id, state, next, error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error, ct);

    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {limit} is out of range: use 1 to {MaxPageSize}.");
        }
    }
}
