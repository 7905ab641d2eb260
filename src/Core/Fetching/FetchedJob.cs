namespace JobPlatform.Core;

/// <summary>A job leased by this worker: the columns fetch_jobs.sql returns (Storage/LeasedJobRow.cs reads them).</summary>
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
    string? UniqueKey);
