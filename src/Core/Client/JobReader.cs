using System.Text.Json;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>Maps a row of <c>get_job</c>/<c>list_jobs</c> to a <see cref="Job"/>.</summary>
internal static class JobReader
{
    public static Job Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Queue = r.GetString(1),
        Kind = r.GetString(2),
        ArgsJson = r.GetString(3),
        State = JobStateNames.Parse(r.GetString(4)),
        Priority = r.GetInt16(5),
        Attempt = r.GetInt32(6),
        MaxAttempts = r.GetInt32(7),
        ScheduledAt = r.GetFieldValue<DateTimeOffset>(8),
        AttemptedAt = r.GetNullable<DateTimeOffset>(9),
        AttemptedBy = r.GetNullableString(10),
        Errors = JsonSerializer.Deserialize(r.GetString(11), PlatformJsonContext.Default.ListJobError) ?? [],
        UniqueKey = r.GetNullableString(12),
        Tags = r.GetFieldValue<string[]>(13),
        TenantId = r.GetNullableString(14),
        Timeout = r.IsDBNull(15) ? null : TimeSpan.FromMilliseconds(r.GetInt32(15)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(16),
        FinalizedAt = r.GetNullable<DateTimeOffset>(17),
        CancelRequestedAt = r.GetNullable<DateTimeOffset>(18),
    };
}
