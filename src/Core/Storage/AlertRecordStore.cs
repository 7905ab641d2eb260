using JobPlatform.Core.Alerts;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements behind <see cref="AlertStore"/>: rules, channels, states, events and the notification outbox.
/// One method per statement; <see cref="AlertStore"/> validates and composes them.
/// </summary>
internal sealed class AlertRecordStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>Makes the stored rules these (<c>alert_rules_save</c>).</summary>
    public async Task SaveRulesAsync(string[] names, bool[] enabled, string[] settingsJson, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_rules_save")
            .With("names", names)
            .With("enabled", enabled)
            .With("settings", settingsJson, NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Makes the stored channels these (<c>alert_channels_save</c>).</summary>
    public async Task SaveChannelsAsync(string[] names, string[] types, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_channels_save").With("names", names).With("types", types).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The channels, by name (<c>alert_channels_list</c>).</summary>
    public async Task<List<(string Name, string Type)>> ListChannelsAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_channels_list").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int name = r.GetOrdinal("name"), type = r.GetOrdinal("type");
        var channels = new List<(string, string)>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            channels.Add((r.GetString(name), r.GetString(type)));
        }

        return channels;
    }

    /// <summary>The rules in force, by name (<c>alert_rules_list</c>).</summary>
    public async Task<List<AlertRuleRecord>> ListRulesAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_rules_list").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int name = r.GetOrdinal("name"), enabled = r.GetOrdinal("enabled"), settings = r.GetOrdinal("settings"), updatedAt = r.GetOrdinal("updated_at");
        var rules = new List<AlertRuleRecord>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rules.Add(new AlertRuleRecord(r.GetString(name), r.GetBoolean(enabled), r.GetString(settings), r.GetFieldValue<DateTimeOffset>(updatedAt)));
        }

        return rules;
    }

    /// <summary>Every pending or firing alert (<c>alert_states_list</c>).</summary>
    public async Task<List<AlertState>> ListStatesAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_states_list").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int rule = r.GetOrdinal("rule"), subject = r.GetOrdinal("subject"), state = r.GetOrdinal("state"), since = r.GetOrdinal("since"),
            firingSince = r.GetOrdinal("firing_since"), value = r.GetOrdinal("value"), details = r.GetOrdinal("details"),
            lastNotifiedAt = r.GetOrdinal("last_notified_at"), evaluatedAt = r.GetOrdinal("evaluated_at");
        var states = new List<AlertState>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            states.Add(new AlertState(r.GetString(rule), r.GetString(subject), ParseStatus(r.GetString(state)),
                r.GetFieldValue<DateTimeOffset>(since), r.GetNullable<DateTimeOffset>(firingSince), r.GetDouble(value), r.GetString(details),
                r.GetNullable<DateTimeOffset>(lastNotifiedAt), r.GetFieldValue<DateTimeOffset>(evaluatedAt)));
        }

        return states;
    }

    /// <summary>Removes the state of a rule for a subject that is ok again (<c>alert_state_delete</c>), as one
    /// statement of a batch.</summary>
    public NpgsqlBatchCommand DeleteStateCommand(string rule, string subject) =>
        sql.Statement("alert_state_delete").With("rule", rule).With("subject", subject).BatchCommand();

    /// <summary>Writes a rule's state for a subject (<c>alert_state_upsert</c>), as one statement of a batch.</summary>
    public NpgsqlBatchCommand UpsertStateCommand(AlertState s) =>
        sql.Statement("alert_state_upsert")
            .With("rule", s.Rule)
            .With("subject", s.Subject)
            .With("state", FormatStatus(s.Status))
            .With("since", s.Since)
            .With("firing_since", s.FiringSince, NpgsqlDbType.TimestampTz)
            .With("value", s.Value)
            .With("details", s.DetailsJson)
            .With("last_notified_at", s.LastNotifiedAt, NpgsqlDbType.TimestampTz)
            .With("evaluated_at", s.EvaluatedAt)
            .BatchCommand();

    /// <summary>Records a firing, repeat or resolution (<c>alert_event_insert</c>), as one statement of a batch.</summary>
    public NpgsqlBatchCommand InsertEventCommand(string rule, string subject, string kind, double? value, string detailsJson) =>
        sql.Statement("alert_event_insert")
            .With("rule", rule)
            .With("subject", subject)
            .With("kind", kind)
            .With("value", value, NpgsqlDbType.Double)
            .With("details", detailsJson)
            .BatchCommand();

    /// <summary>Puts a message into the outbox (<c>alert_notification_insert</c>), as one statement of a batch that
    /// returns its number.</summary>
    public NpgsqlBatchCommand InsertNotificationCommand(NewAlertNotification n) =>
        sql.Statement("alert_notification_insert")
            .With("channel", n.Channel)
            .With("kind", n.Kind)
            .With("rule", n.Rule, NpgsqlDbType.Text)
            .With("subjects", n.Subjects.ToArray())
            .With("message", n.MessageJson)
            .BatchCommand();

    /// <summary>Runs statements of this store in one transaction and one round trip.</summary>
    public async Task RunInTransactionAsync(IEnumerable<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Puts one message into the outbox; returns its number (<c>alert_notification_insert</c>).</summary>
    public async Task<long> InsertNotificationAsync(NewAlertNotification notification, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { InsertNotificationCommand(notification) } };
        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetInt64(r.GetOrdinal("id"));
    }

    /// <summary>Events newest first below <paramref name="before"/> (<c>alert_events_list</c>).</summary>
    public async Task<List<AlertEvent>> ListEventsAsync(long? before, int limit, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_events_list").With("before", before, NpgsqlDbType.Bigint).With("limit", limit).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int id = r.GetOrdinal("id"), at = r.GetOrdinal("at"), rule = r.GetOrdinal("rule"), subject = r.GetOrdinal("subject"),
            kind = r.GetOrdinal("kind"), value = r.GetOrdinal("value"), details = r.GetOrdinal("details");
        var events = new List<AlertEvent>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            events.Add(new AlertEvent(r.GetInt64(id), r.GetFieldValue<DateTimeOffset>(at), r.GetString(rule), r.GetString(subject),
                r.GetString(kind), r.GetNullable<double>(value), r.GetString(details)));
        }

        return events;
    }

    /// <summary>Notifications newest first below <paramref name="before"/> (<c>alert_notifications_list</c>).</summary>
    public async Task<List<AlertNotification>> ListNotificationsAsync(long? before, int limit, bool undeliveredOnly, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_notifications_list")
            .With("before", before, NpgsqlDbType.Bigint)
            .With("limit", limit)
            .With("undelivered_only", undeliveredOnly)
            .Command(dataSource);
        return await ReadNotificationsAsync(cmd, ct).ConfigureAwait(false);
    }

    /// <summary>Pending notifications due now, oldest first (<c>alert_notifications_due</c>).</summary>
    public async Task<List<AlertNotification>> DueNotificationsAsync(int limit, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_notifications_due").With("limit", limit).Command(dataSource);
        return await ReadNotificationsAsync(cmd, ct).ConfigureAwait(false);
    }

    /// <summary>Records a delivery attempt of a pending notification (<c>alert_notification_update</c>).</summary>
    public async Task UpdateNotificationAsync(long id, string state, DateTimeOffset? nextAttemptAt, string? error, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_notification_update")
            .With("id", id)
            .With("state", state)
            .With("next_attempt_at", nextAttemptAt, NpgsqlDbType.TimestampTz)
            .With("error", error, NpgsqlDbType.Text)
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Firing alerts per rule, and pending and recently failed notifications (<c>alert_counts</c>).</summary>
    public async Task<AlertCounts> CountAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_counts").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int what = r.GetOrdinal("what"), name = r.GetOrdinal("name"), count = r.GetOrdinal("count");
        var firing = new Dictionary<string, long>(StringComparer.Ordinal);
        long pending = 0, failed = 0;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            switch ((r.GetString(what), r.GetString(name)))
            {
                case ("firing", var rule): firing[rule] = r.GetInt64(count); break;
                case ("notifications", "pending"): pending = r.GetInt64(count); break;
                case ("notifications", "failed"): failed = r.GetInt64(count); break;
            }
        }

        return new AlertCounts(firing, pending, failed);
    }

    /// <summary>Removes old delivered or failed notifications and old events (<c>alert_prune</c>).</summary>
    public async Task PruneAsync(TimeSpan notifications, TimeSpan events, CancellationToken ct)
    {
        await using var cmd = sql.Statement("alert_prune")
            .With("notifications_ms", (long)notifications.TotalMilliseconds)
            .With("events_ms", (long)events.TotalMilliseconds)
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string FormatStatus(AlertStatus status) => status == AlertStatus.Firing ? "firing" : "pending";

    private static AlertStatus ParseStatus(string state) => state == "firing" ? AlertStatus.Firing : AlertStatus.Pending;

    private static async Task<List<AlertNotification>> ReadNotificationsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int id = r.GetOrdinal("id"), createdAt = r.GetOrdinal("created_at"), channel = r.GetOrdinal("channel"), kind = r.GetOrdinal("kind"),
            rule = r.GetOrdinal("rule"), subjects = r.GetOrdinal("subjects"), message = r.GetOrdinal("message"), state = r.GetOrdinal("state"),
            attempts = r.GetOrdinal("attempts"), nextAttemptAt = r.GetOrdinal("next_attempt_at"), lastError = r.GetOrdinal("last_error"),
            finishedAt = r.GetOrdinal("finished_at");
        var notifications = new List<AlertNotification>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            notifications.Add(new AlertNotification(r.GetInt64(id), r.GetFieldValue<DateTimeOffset>(createdAt), r.GetString(channel),
                r.GetString(kind), r.GetNullableString(rule), r.GetFieldValue<string[]>(subjects), r.GetString(message), r.GetString(state),
                r.GetInt32(attempts), r.GetFieldValue<DateTimeOffset>(nextAttemptAt), r.GetNullableString(lastError),
                r.GetNullable<DateTimeOffset>(finishedAt)));
        }

        return notifications;
    }
}
