using JobPlatform.Core.Audit;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>The statements behind <see cref="AuditLog"/>, one method each; <see cref="AuditLog"/> validates and cuts
/// the texts.</summary>
internal sealed class AuditStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>Records one action; returns its number (<c>audit_insert</c>).</summary>
    public async Task<long> InsertAsync(
        string actor, string? role, string action, string? target, Guid[] jobIds, int jobCount, string? outcome, string? source, CancellationToken ct)
    {
        await using var cmd = sql.Statement("audit_insert")
            .With("actor", actor)
            .With("role", role, NpgsqlDbType.Text)
            .With("action", action)
            .With("target", target, NpgsqlDbType.Text)
            .With("job_ids", jobIds)
            .With("job_count", jobCount)
            .With("outcome", outcome, NpgsqlDbType.Text)
            .With("source", source, NpgsqlDbType.Text)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetInt64(r.GetOrdinal("id"));
    }

    /// <summary>Recorded actions, newest first, below <paramref name="before"/> (<c>audit_list</c>).</summary>
    public async Task<List<AuditRecord>> ListAsync(long? before, int limit, CancellationToken ct)
    {
        await using var cmd = sql.Statement("audit_list").With("before", before, NpgsqlDbType.Bigint).With("limit", limit).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int id = r.GetOrdinal("id"), at = r.GetOrdinal("at"), actor = r.GetOrdinal("actor"), role = r.GetOrdinal("role"),
            action = r.GetOrdinal("action"), target = r.GetOrdinal("target"), jobIds = r.GetOrdinal("job_ids"),
            jobCount = r.GetOrdinal("job_count"), outcome = r.GetOrdinal("outcome"), source = r.GetOrdinal("source");
        var records = new List<AuditRecord>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(r.GetInt64(id), r.GetFieldValue<DateTimeOffset>(at), r.GetString(actor), r.GetNullableString(role),
                r.GetString(action), r.GetNullableString(target), r.GetFieldValue<Guid[]>(jobIds), r.GetInt32(jobCount),
                r.GetNullableString(outcome), r.GetNullableString(source)));
        }

        return records;
    }
}
