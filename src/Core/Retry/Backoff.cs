namespace JobPlatform.Core;

/// <summary>
/// How long the engine's own loops (fetch, listener, completer) wait after consecutive database errors:
/// <see cref="First"/> after the first, doubling, capped at <see cref="Max"/>. A pure function; jobs' own retries
/// use <see cref="RetryPolicy"/>.
/// </summary>
/// <param name="First">The wait after the first failure.</param>
/// <param name="Max">The longest wait.</param>
internal readonly record struct Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (at least 1).</summary>
    public TimeSpan Delay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var ticks = First.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, Max.Ticks));
    }
}
