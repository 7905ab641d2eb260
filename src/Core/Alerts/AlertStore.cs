using System.Text.Json;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

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

    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;

    /// <summary>Creates the store on a client's database and schema.</summary>
    public AlertStore(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _dataSource = client.DataSource;
        _sql = client.Sql;
    }

    /// <summary>Reads a stored message.</summary>
    public static AlertMessage ParseMessage(string json) =>
        JsonSerializer.Deserialize(json, PlatformJsonContext.Default.AlertMessage) ?? throw new JsonException("empty alert message");

    /// <summary>Writes a message for the outbox.</summary>
    public static string FormatMessage(AlertMessage message) => JsonSerializer.Serialize(message, PlatformJsonContext.Default.AlertMessage);

    /// <summary>Makes the stored rules these (changed ones updated, missing ones removed).</summary>
    public async Task SaveRulesAsync(IReadOnlyList<(string Name, bool Enabled, string SettingsJson)> rules, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_rules_save"],
            rules.Select(r => r.Name).ToArray(), rules.Select(r => r.Enabled).ToArray(),
            DbCommands.Typed(rules.Select(r => r.SettingsJson).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Jsonb));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the stored channels these (name and type: never a URL).</summary>
    public async Task SaveChannelsAsync(IReadOnlyList<(string Name, string Type)> channels, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_channels_save"],
            channels.Select(c => c.Name).ToArray(), channels.Select(c => c.Type).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The channels the evaluating scheduler delivers to, by name, with their type (slack or webhook).</summary>
    public async Task<IReadOnlyList<(string Name, string Type)>> ListChannelsAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_channels_list"]);
        return await ReadAllAsync(cmd, r => (r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rules in force, by name.</summary>
    public async Task<IReadOnlyList<AlertRuleRecord>> ListRulesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_rules_list"]);
        return await ReadAllAsync(cmd, r => new AlertRuleRecord(r.GetString(0), r.GetBoolean(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Every pending or firing alert.</summary>
    public async Task<IReadOnlyList<AlertState>> ListStatesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_states_list"]);
        return await ReadAllAsync(cmd, r => new AlertState(r.GetString(0), r.GetString(1),
            r.GetString(2) == "firing" ? AlertStatus.Firing : AlertStatus.Pending, r.GetFieldValue<DateTimeOffset>(3),
            r.GetNullable<DateTimeOffset>(4), r.GetDouble(5), r.GetString(6), r.GetNullable<DateTimeOffset>(7),
            r.GetFieldValue<DateTimeOffset>(8)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an evaluation's changes in one transaction, in one round trip.</summary>
    public async Task ApplyAsync(AlertChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var (rule, subject) in changes.Deletes)
        {
            batch.BatchCommands.Add(DbCommands.BatchCommand(_sql["alert_state_delete"], rule, subject));
        }

        foreach (var s in changes.Upserts)
        {
            batch.BatchCommands.Add(DbCommands.BatchCommand(_sql["alert_state_upsert"], s.Rule, s.Subject, s.Status == AlertStatus.Firing ? "firing" : "pending",
                s.Since, DbCommands.Typed(s.FiringSince, NpgsqlDbType.TimestampTz), s.Value, s.DetailsJson,
                DbCommands.Typed(s.LastNotifiedAt, NpgsqlDbType.TimestampTz), s.EvaluatedAt));
        }

        foreach (var (rule, subject, kind, value, details) in changes.Events)
        {
            batch.BatchCommands.Add(DbCommands.BatchCommand(_sql["alert_event_insert"], rule, subject, kind,
                DbCommands.Typed(value, NpgsqlDbType.Double), details));
        }

        foreach (var n in changes.Notifications)
        {
            batch.BatchCommands.Add(NotificationCommand(n));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts one message into the outbox (a test message, say); the evaluating scheduler delivers it.</summary>
    /// <returns>The notification's number.</returns>
    public async Task<long> EnqueueAsync(NewAlertNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { NotificationCommand(notification) } };
        return (long)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Firings, repeats and resolutions, newest first, older than event <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_events_list"], DbCommands.Typed(before, NpgsqlDbType.Bigint), limit);
        return await ReadAllAsync(cmd, r => new AlertEvent(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3),
            r.GetString(4), r.GetNullable<double>(5), r.GetString(6)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notifications, newest first, older than <paramref name="before"/>; with <paramref name="undeliveredOnly"/>
    /// only pending and failed ones.</summary>
    public async Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(long? before, int limit, bool undeliveredOnly = false,
        CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_notifications_list"], DbCommands.Typed(before, NpgsqlDbType.Bigint), limit,
            undeliveredOnly);
        return await ReadAllAsync(cmd, ReadNotification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pending notifications whose next attempt is due, oldest first.</summary>
    public async Task<IReadOnlyList<AlertNotification>> DueNotificationsAsync(int limit, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_notifications_due"], limit);
        return await ReadAllAsync(cmd, ReadNotification, cancellationToken).ConfigureAwait(false);
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
    public async Task<AlertCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_counts"]);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var firing = new Dictionary<string, long>(StringComparer.Ordinal);
        long pending = 0, failed = 0;
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            switch ((r.GetString(0), r.GetString(1)))
            {
                case ("firing", var rule): firing[rule] = r.GetInt64(2); break;
                case ("notifications", "pending"): pending = r.GetInt64(2); break;
                case ("notifications", "failed"): failed = r.GetInt64(2); break;
            }
        }

        return new AlertCounts(firing, pending, failed);
    }

    /// <summary>Removes delivered or failed notifications older than <paramref name="notifications"/> and events
    /// older than <paramref name="events"/>.</summary>
    public async Task PruneAsync(TimeSpan notifications, TimeSpan events, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_prune"], (long)notifications.TotalMilliseconds, (long)events.TotalMilliseconds);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlBatchCommand NotificationCommand(NewAlertNotification n) =>
        DbCommands.BatchCommand(_sql["alert_notification_insert"], n.Channel, n.Kind, DbCommands.Typed(n.Rule, NpgsqlDbType.Text),
            n.Subjects.ToArray(), n.MessageJson);

    private async Task UpdateAsync(long id, string state, DateTimeOffset? next, string? error, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["alert_notification_update"], id, state,
            DbCommands.Typed(next, NpgsqlDbType.TimestampTz), DbCommands.Typed(error is { Length: > 2000 } ? error[..2000] : error, NpgsqlDbType.Text));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static AlertNotification ReadNotification(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetNullableString(4), r.GetFieldValue<string[]>(5),
        r.GetString(6), r.GetString(7), r.GetInt32(8), r.GetFieldValue<DateTimeOffset>(9), r.GetNullableString(10), r.GetNullable<DateTimeOffset>(11));

    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {limit} is out of range: use 1 to {MaxPageSize}.");
        }
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand cmd, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(read(r));
        }

        return list;
    }
}
