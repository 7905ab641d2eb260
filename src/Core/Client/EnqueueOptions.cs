namespace JobPlatform.Core;

/// <summary>How and when one job runs. Every property is optional.</summary>
public sealed record EnqueueOptions
{
    /// <summary>Lowest (most urgent) priority.</summary>
    public const int MinPriority = 0;

    /// <summary>Highest (least urgent) priority.</summary>
    public const int MaxPriority = 9;

    /// <summary>Default attempts before a failing job is discarded.</summary>
    public const int DefaultMaxAttempts = 25;

    /// <summary>Upper bound of <see cref="MaxAttempts"/>.</summary>
    public const int MaxAttemptsLimit = 1000;

    /// <summary>Maximum number of tags on a job.</summary>
    public const int MaxTags = 20;

    /// <summary>Maximum length of one tag and of <see cref="TenantId"/>.</summary>
    public const int MaxTagLength = 128;

    /// <summary>Queue name, <c>[a-z0-9_.-]{1,64}</c>; default the client's default queue (<c>default</c>).</summary>
    public string? Queue { get; init; }

    /// <summary>0 (runs first) to 9; default 0. Within a queue, lower numbers run before higher ones.</summary>
    public int? Priority { get; init; }

    /// <summary>Attempts before the job is discarded, 1 to 1000; default 25.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Per-attempt time limit; overrides the handler's and the worker's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Free-form labels for operators, at most 20 of at most 128 characters.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The tenant the job belongs to, for filtering and fairness; at most 128 characters.</summary>
    public string? TenantId { get; init; }

    /// <summary>Deduplicate against other jobs with the same key.</summary>
    public UniqueOptions? Unique { get; init; }

    /// <summary>Run at (not before) this time. Mutually exclusive with <see cref="Delay"/>.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>Run after this delay from now. Mutually exclusive with <see cref="ScheduledAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>W3C trace context (<c>traceparent</c>) to continue in the worker; default the current activity's.</summary>
    public string? TraceContext { get; init; }
}
