namespace JobPlatform.Core;

/// <summary>Per-kind settings of a handler registration.</summary>
public sealed record JobKindOptions
{
    /// <summary>Per-attempt time limit for this kind; a job's own timeout wins, the worker default applies
    /// when both are unset.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Backoff between failed attempts of this kind; the worker's default when unset.</summary>
    public RetryPolicy? Retry { get; init; }
}
