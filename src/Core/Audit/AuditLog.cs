using JobPlatform.Core.Storage;

namespace JobPlatform.Core.Audit;

/// <summary>The operator actions recorded in PostgreSQL (table <c>audit_log</c>), by the dashboard and jobctl.</summary>
public sealed class AuditLog
{
    /// <summary>Largest page of <see cref="ListAsync"/>.</summary>
    public const int MaxPageSize = 1_000;

    private const int MaxTextLength = 2_000;

    private readonly AuditStore _store;

    /// <summary>Creates the log on a client's database and schema.</summary>
    public AuditLog(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _store = new AuditStore(client.DataSource, client.Sql);
    }

    /// <summary>Records an action. Long texts are cut to 2,000 characters, ids to <see cref="AuditEntry.MaxStoredIds"/>.</summary>
    /// <returns>The entry's number.</returns>
    public async Task<long> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        return await _store.InsertAsync(Cut(entry.Actor, 200), entry.Role, Cut(entry.Action, 64), Cut(entry.Target),
            entry.JobIds.Take(AuditEntry.MaxStoredIds).ToArray(), entry.JobCount ?? entry.JobIds.Count, Cut(entry.Outcome),
            entry.Source is null ? null : Cut(entry.Source, 200), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Recorded actions, newest first, older than entry <paramref name="before"/> (null: from the newest).</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {limit} is out of range: use 1 to {MaxPageSize}.");
        }

        return await _store.ListAsync(before, limit, cancellationToken).ConfigureAwait(false);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static string? Cut(string? text) => text is null ? null : Cut(text, MaxTextLength);
}
