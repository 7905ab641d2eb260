using System.Text.Json;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The job row every statement that returns whole jobs selects (<c>{{job_columns}}</c> in the .sql files, which the
/// catalog expands from <see cref="Columns"/>), and its mapping to a <see cref="Job"/>.
/// </summary>
internal static class JobRow
{
    /// <summary>Each column's name and, where the reader parses text, the expression that selects it.</summary>
    private static readonly (string Name, string Expression)[] Columns =
    [
        ("id", "id"),
        ("queue", "queue"),
        ("kind", "kind"),
        ("args", "args::text"),
        ("state", "state::text"),
        ("priority", "priority"),
        ("attempt", "attempt"),
        ("max_attempts", "max_attempts"),
        ("scheduled_at", "scheduled_at"),
        ("attempted_at", "attempted_at"),
        ("attempted_by", "attempted_by"),
        ("errors", "errors::text"),
        ("unique_key", "unique_key"),
        ("tags", "tags"),
        ("tenant_id", "tenant_id"),
        ("timeout_ms", "timeout_ms"),
        ("created_at", "created_at"),
        ("finalized_at", "finalized_at"),
        ("cancel_requested_at", "cancel_requested_at"),
    ];

    /// <summary>The select list, with every column of the table aliased <paramref name="alias"/> when one is given.</summary>
    public static string SelectList(string? alias) => SelectList(Columns, alias);

    /// <summary>The select list of <paramref name="columns"/> (also <see cref="LeasedJobRow"/>'s), each expression
    /// named by its column and taken from the table aliased <paramref name="alias"/> when one is given.</summary>
    internal static string SelectList((string Name, string Expression)[] columns, string? alias)
    {
        var prefix = alias is null ? "" : alias + ".";
        return string.Join(", ", columns.Select(c => c.Expression == c.Name ? prefix + c.Name : $"{prefix}{c.Expression} AS {c.Name}"));
    }

    /// <summary>Reads every row of <paramref name="reader"/> as a job.</summary>
    public static async Task<List<Job>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var jobs = new List<Job>();
        var at = new Ordinals(reader);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(Read(reader, at));
        }

        return jobs;
    }

    /// <summary>Maps the current row.</summary>
    public static Job Read(NpgsqlDataReader r, in Ordinals at) => new()
    {
        Id = r.GetGuid(at.Id),
        Queue = r.GetString(at.Queue),
        Kind = r.GetString(at.Kind),
        ArgsJson = r.GetString(at.Args),
        State = JobStateNames.Parse(r.GetString(at.State)),
        Priority = r.GetInt16(at.Priority),
        Attempt = r.GetInt32(at.Attempt),
        MaxAttempts = r.GetInt32(at.MaxAttempts),
        ScheduledAt = r.GetFieldValue<DateTimeOffset>(at.ScheduledAt),
        AttemptedAt = r.GetNullable<DateTimeOffset>(at.AttemptedAt),
        AttemptedBy = r.GetNullableString(at.AttemptedBy),
        Errors = JsonSerializer.Deserialize(r.GetString(at.Errors), PlatformJsonContext.Default.ListJobError) ?? [],
        UniqueKey = r.GetNullableString(at.UniqueKey),
        Tags = r.GetFieldValue<string[]>(at.Tags),
        TenantId = r.GetNullableString(at.TenantId),
        Timeout = r.IsDBNull(at.TimeoutMs) ? null : TimeSpan.FromMilliseconds(r.GetInt32(at.TimeoutMs)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(at.CreatedAt),
        FinalizedAt = r.GetNullable<DateTimeOffset>(at.FinalizedAt),
        CancelRequestedAt = r.GetNullable<DateTimeOffset>(at.CancelRequestedAt),
    };

    /// <summary>Where each column of the job row is in one result, looked up once per reader.</summary>
    internal readonly struct Ordinals(NpgsqlDataReader r)
    {
        public readonly int Id = r.GetOrdinal("id");
        public readonly int Queue = r.GetOrdinal("queue");
        public readonly int Kind = r.GetOrdinal("kind");
        public readonly int Args = r.GetOrdinal("args");
        public readonly int State = r.GetOrdinal("state");
        public readonly int Priority = r.GetOrdinal("priority");
        public readonly int Attempt = r.GetOrdinal("attempt");
        public readonly int MaxAttempts = r.GetOrdinal("max_attempts");
        public readonly int ScheduledAt = r.GetOrdinal("scheduled_at");
        public readonly int AttemptedAt = r.GetOrdinal("attempted_at");
        public readonly int AttemptedBy = r.GetOrdinal("attempted_by");
        public readonly int Errors = r.GetOrdinal("errors");
        public readonly int UniqueKey = r.GetOrdinal("unique_key");
        public readonly int Tags = r.GetOrdinal("tags");
        public readonly int TenantId = r.GetOrdinal("tenant_id");
        public readonly int TimeoutMs = r.GetOrdinal("timeout_ms");
        public readonly int CreatedAt = r.GetOrdinal("created_at");
        public readonly int FinalizedAt = r.GetOrdinal("finalized_at");
        public readonly int CancelRequestedAt = r.GetOrdinal("cancel_requested_at");
    }
}
