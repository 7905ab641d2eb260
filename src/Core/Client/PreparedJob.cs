namespace JobPlatform.Core;

/// <summary>A validated job row, ready to be written.</summary>
internal sealed record PreparedJob(
    Guid Id,
    string Queue,
    string Kind,
    string ArgsJson,
    JobState State,
    short Priority,
    int MaxAttempts,
    DateTimeOffset? ScheduledAt,
    string? UniqueKey,
    short? UniqueStates,
    string[] Tags,
    string? TenantId,
    int? TimeoutMs,
    string? TraceContext);
