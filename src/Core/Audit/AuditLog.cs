using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Audit;

/// <summary>The operator actions recorded in PostgreSQL (table <c>audit_log</c>), by the dashboard and jobctl.</summary>
public sealed class AuditLog
{
    /// <summary>Largest page of <see cref="ListAsync"/>.</summary>
    public const int MaxPageSize = 1_000;

    private const int MaxTextLength = 2_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;

    /// <summary>Creates the log on a client's database and schema.</summary>
    public AuditLog(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _dataSource = client.DataSource;
        _sql = client.Sql;
    }

    /// <summary>Records an action. Long texts are cut to 2,000 characters, ids to <see cref="AuditEntry.MaxStoredIds"/>.</summary>
    /// <returns>The entry's number.</returns>
    public async Task<long> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        await using var cmd = DbCommands.Create(_dataSource, _sql["audit_insert"],
            Cut(entry.Actor, 200), DbCommands.Typed(entry.Role, NpgsqlDbType.Text), Cut(entry.Action, 64),
            DbCommands.Typed(Cut(entry.Target), NpgsqlDbType.Text), entry.JobIds.Take(AuditEntry.MaxStoredIds).ToArray(),
            entry.JobCount ?? entry.JobIds.Count, DbCommands.Typed(Cut(entry.Outcome), NpgsqlDbType.Text),
            DbCommands.Typed(entry.Source is null ? null : Cut(entry.Source, 200), NpgsqlDbType.Text));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt64(0);
    }

    /// <summary>Recorded actions, newest first, older than entry <paramref name="before"/> (null: from the newest).</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {limit} is out of range: use 1 to {MaxPageSize}.");
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["audit_list"], DbCommands.Typed(before, NpgsqlDbType.Bigint), limit);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<AuditRecord>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetNullableString(3),
                r.GetString(4), r.GetNullableString(5), r.GetFieldValue<Guid[]>(6), r.GetInt32(7), r.GetNullableString(8),
                r.GetNullableString(9)));
        }

        return records;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static string? Cut(string? text) => text is null ? null : Cut(text, MaxTextLength);
}
