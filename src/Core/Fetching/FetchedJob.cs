using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>A job leased by this worker: the columns <c>fetch_jobs</c> returns.</summary>
internal sealed record FetchedJob(
    Guid Id,
    string Queue,
    string Kind,
    string ArgsJson,
    int Priority,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset ScheduledAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset AttemptedAt,
    string[] Tags,
    string? TenantId,
    int? TimeoutMs,
    string? TraceContext,
    string? UniqueKey)
{
    /// <summary>How many columns a job takes in fetch_jobs.sql's rows (more may follow).</summary>
    public const int Columns = 15;

    /// <summary>Reads the current row of a reader over fetch_jobs.sql's columns.</summary>
    public static FetchedJob Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt16(4),
        reader.GetInt32(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<string[]>(10), reader.GetNullableString(11),
        reader.GetNullable<int>(12), reader.GetNullableString(13), reader.GetNullableString(14));
}
