using NpgsqlTypes;
using JobPlatform.Core.Sql;

namespace JobPlatform.Core;

/// <summary>
/// The fourteen column parameters every insert statement takes, in their order: id, queue, kind, args, state,
/// priority, max_attempts, scheduled_at, unique_key, unique_states, tags, tenant_id, timeout_ms, trace_context.
/// </summary>
internal static class JobRows
{
    /// <summary>One job's values ($1–$14 of insert_job.sql and insert_unique_job.sql).</summary>
    public static object?[] Row(PreparedJob job) =>
    [
        job.Id, job.Queue, job.Kind, job.ArgsJson, job.State.ToDb(), job.Priority, job.MaxAttempts,
        DbCommands.Typed(job.ScheduledAt, NpgsqlDbType.TimestampTz),
        DbCommands.Typed(job.UniqueKey, NpgsqlDbType.Text),
        DbCommands.Typed(job.UniqueStates, NpgsqlDbType.Smallint),
        job.Tags, DbCommands.Typed(job.TenantId, NpgsqlDbType.Text), DbCommands.Typed(job.TimeoutMs, NpgsqlDbType.Integer),
        DbCommands.Typed(job.TraceContext, NpgsqlDbType.Text),
    ];

    /// <summary>Many jobs' values as parallel arrays ($1–$14 of insert_jobs.sql and insert_job_batch.sql);
    /// tags as JSON arrays, since arrays of arrays cannot be jagged.</summary>
    public static object?[] Arrays(IReadOnlyList<PreparedJob> jobs) =>
    [
        jobs.Select(j => j.Id).ToArray(),
        jobs.Select(j => j.Queue).ToArray(),
        jobs.Select(j => j.Kind).ToArray(),
        jobs.Select(j => j.ArgsJson).ToArray(),
        jobs.Select(j => j.State.ToDb()).ToArray(),
        jobs.Select(j => j.Priority).ToArray(),
        jobs.Select(j => j.MaxAttempts).ToArray(),
        DbCommands.Typed(jobs.Select(j => j.ScheduledAt?.UtcDateTime).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz),
        DbCommands.Typed(jobs.Select(j => j.UniqueKey).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
        DbCommands.Typed(jobs.Select(j => j.UniqueStates).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Smallint),
        jobs.Select(j => System.Text.Json.JsonSerializer.Serialize(j.Tags, PlatformJsonContext.Default.StringArray)).ToArray(),
        DbCommands.Typed(jobs.Select(j => j.TenantId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
        DbCommands.Typed(jobs.Select(j => j.TimeoutMs).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
        DbCommands.Typed(jobs.Select(j => j.TraceContext).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
    ];
}
