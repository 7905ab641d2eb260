namespace JobPlatform.Core;

/// <summary>Thrown by a handler to run the job again after <see cref="Delay"/> without spending the
/// attempt: for an open circuit breaker, a rate limit, or a resource that is not ready yet.</summary>
public sealed class SnoozeJobException : Exception
{
    /// <summary>Snoozes for <paramref name="delay"/> (zero or more).</summary>
    public SnoozeJobException(TimeSpan delay, string? reason = null)
        : base(reason ?? $"Snoozed for {delay}.")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Delay = delay;
    }

    /// <summary>How long to wait before the job is available again.</summary>
    public TimeSpan Delay { get; }
}
