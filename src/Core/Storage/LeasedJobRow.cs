using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The columns of a job leased to this worker (<c>{{leased_columns}}</c> in fetch_jobs.sql and recover_handed_off.sql,
/// which the catalog expands from <see cref="Columns"/>), and their mapping to a <see cref="FetchedJob"/>.
/// </summary>
/// <remarks>
/// Two places cannot use the placeholder and list the same columns themselves: lease_jobs' <c>RETURNS TABLE</c>
/// (Sql/Functions/lease_jobs.sql; only a migration changes it), which fetch_jobs.sql reads by name, and the NOTIFY
/// payload of insert_job_offered.sql, a JSON array of these columns in this order without unique_key (a handed job has
/// none), read by position in <c>HandOffReceiver.Parse</c>. A column added here goes there too.
/// </remarks>
internal static class LeasedJobRow
{
    /// <summary>Each column's name and, where the reader parses text, the expression that selects it.</summary>
    private static readonly (string Name, string Expression)[] Columns =
    [
        ("id", "id"),
        ("queue", "queue"),
        ("kind", "kind"),
        ("args", "args::text"),
        ("priority", "priority"),
        ("attempt", "attempt"),
        ("max_attempts", "max_attempts"),
        ("scheduled_at", "scheduled_at"),
        ("created_at", "created_at"),
        ("attempted_at", "attempted_at"),
        ("tags", "tags"),
        ("tenant_id", "tenant_id"),
        ("timeout_ms", "timeout_ms"),
        ("trace_context", "trace_context"),
        ("unique_key", "unique_key"),
    ];

    /// <summary>The select list, with every column of the table aliased <paramref name="alias"/> when one is given.</summary>
    public static string SelectList(string? alias) => JobRow.SelectList(Columns, alias);

    /// <summary>Reads every row of <paramref name="reader"/> as a leased job.</summary>
    public static async Task<List<FetchedJob>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var jobs = new List<FetchedJob>();
        var at = new Ordinals(reader);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(Read(reader, at));
        }

        return jobs;
    }

    /// <summary>Maps the current row.</summary>
    public static FetchedJob Read(NpgsqlDataReader r, in Ordinals at) => new(
        r.GetGuid(at.Id),
        r.GetString(at.Queue),
        r.GetString(at.Kind),
        r.GetString(at.Args),
        r.GetInt16(at.Priority),
        r.GetInt32(at.Attempt),
        r.GetInt32(at.MaxAttempts),
        r.GetFieldValue<DateTimeOffset>(at.ScheduledAt),
        r.GetFieldValue<DateTimeOffset>(at.CreatedAt),
        r.GetFieldValue<DateTimeOffset>(at.AttemptedAt),
        r.GetFieldValue<string[]>(at.Tags),
        r.GetNullableString(at.TenantId),
        r.GetNullable<int>(at.TimeoutMs),
        r.GetNullableString(at.TraceContext),
        r.GetNullableString(at.UniqueKey));

    /// <summary>Where each column of the leased job is in one result, looked up once per reader.</summary>
    internal readonly struct Ordinals(NpgsqlDataReader r)
    {
        public readonly int Id = r.GetOrdinal("id");
        public readonly int Queue = r.GetOrdinal("queue");
        public readonly int Kind = r.GetOrdinal("kind");
        public readonly int Args = r.GetOrdinal("args");
        public readonly int Priority = r.GetOrdinal("priority");
        public readonly int Attempt = r.GetOrdinal("attempt");
        public readonly int MaxAttempts = r.GetOrdinal("max_attempts");
        public readonly int ScheduledAt = r.GetOrdinal("scheduled_at");
        public readonly int CreatedAt = r.GetOrdinal("created_at");
        public readonly int AttemptedAt = r.GetOrdinal("attempted_at");
        public readonly int Tags = r.GetOrdinal("tags");
        public readonly int TenantId = r.GetOrdinal("tenant_id");
        public readonly int TimeoutMs = r.GetOrdinal("timeout_ms");
        public readonly int TraceContext = r.GetOrdinal("trace_context");
        public readonly int UniqueKey = r.GetOrdinal("unique_key");
    }
}
