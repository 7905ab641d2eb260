namespace JobPlatform.Core;

/// <summary>
/// Exponential backoff with jitter between failed attempts: <c>BaseDelay × 2^(attempt-1)</c>, capped at
/// <see cref="MaxDelay"/>, then spread by ±<see cref="JitterFraction"/> so jobs that failed together do not
/// retry together. With the defaults, 25 attempts span about eleven days.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Default <see cref="BaseDelay"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="MaxDelay"/>: 1 day.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromDays(1);

    /// <summary>Default <see cref="JitterFraction"/>: 0.2.</summary>
    public const double DefaultJitterFraction = 0.2;

    /// <summary>The policy used when a kind sets none.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Delay after the first failure.</summary>
    public TimeSpan BaseDelay { get; init; } = DefaultBaseDelay;

    /// <summary>Longest delay, before jitter.</summary>
    public TimeSpan MaxDelay { get; init; } = DefaultMaxDelay;

    /// <summary>Relative spread, 0 (none) to 1.</summary>
    public double JitterFraction { get; init; } = DefaultJitterFraction;

    /// <summary>
    /// The delay before the next attempt after attempt <paramref name="attempt"/> (1-based) failed.
    /// A pure function: <paramref name="random01"/> is a uniform sample in [0, 1) from the caller.
    /// </summary>
    public TimeSpan NextDelay(int attempt, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 62);
        var raw = BaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(raw, MaxDelay.TotalMilliseconds);
        var jitter = capped * JitterFraction * ((random01 * 2) - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, Math.Round(capped + jitter)));
    }
}
