namespace JobPlatform.Core;

/// <summary>A job as stored, for reading (dashboard, CLI, tests).</summary>
public sealed record Job
{
    /// <summary>UUIDv7 assigned by the client, so ids sort by creation time.</summary>
    public required Guid Id { get; init; }

    /// <summary>The queue it runs on.</summary>
    public required string Queue { get; init; }

    /// <summary>The stable kind name.</summary>
    public required string Kind { get; init; }

    /// <summary>The args JSON.</summary>
    public required string ArgsJson { get; init; }

    /// <summary>The current state.</summary>
    public required JobState State { get; init; }

    /// <summary>0 (first) to 9.</summary>
    public int Priority { get; init; }

    /// <summary>Attempts started so far (snoozes and shutdown releases give theirs back).</summary>
    public int Attempt { get; init; }

    /// <summary>Attempts allowed before discard.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>When it becomes (or became) available.</summary>
    public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? AttemptedAt { get; init; }

    /// <summary>The worker of the latest attempt.</summary>
    public string? AttemptedBy { get; init; }

    /// <summary>One entry per failed attempt, oldest first.</summary>
    public IReadOnlyList<JobError> Errors { get; init; } = [];

    /// <summary>The stored unique key, if any.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>Operator labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The tenant, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>Per-attempt time limit set at enqueue, if any.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When it was inserted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached a final state.</summary>
    public DateTimeOffset? FinalizedAt { get; init; }

    /// <summary>When cancellation was requested, if it was.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }
}
