namespace JobPlatform.Core.Monitoring;

/// <summary>Outcomes of attempts over a period, from the per-minute statistics.</summary>
/// <param name="Completed">Attempts that succeeded.</param>
/// <param name="Failed">Attempts that failed with attempts left (the job waits for a retry).</param>
/// <param name="Discarded">Attempts that failed for good.</param>
/// <param name="Cancelled">Jobs cancelled (waiting ones by an operator, running ones when their handler stopped).</param>
/// <param name="RunMilliseconds">Time spent in handlers by those attempts.</param>
public sealed record OutcomeCounts(long Completed, long Failed, long Discarded, long Cancelled, long RunMilliseconds)
{
    /// <summary>No outcomes.</summary>
    public static OutcomeCounts Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Attempts that ended (completed, failed, discarded).</summary>
    public long Attempts => Completed + Failed + Discarded;

    /// <summary>Share of ended attempts that failed (failed or discarded); 0 without attempts.</summary>
    public double FailureRatio => Attempts == 0 ? 0 : (double)(Failed + Discarded) / Attempts;

    /// <summary>Average handler time of an ended attempt; null without attempts.</summary>
    public TimeSpan? AverageRunTime => Attempts == 0 ? null : TimeSpan.FromMilliseconds((double)RunMilliseconds / Attempts);

    /// <summary>The sum of two periods.</summary>
    public static OutcomeCounts operator +(OutcomeCounts a, OutcomeCounts b) => new(
        a.Completed + b.Completed, a.Failed + b.Failed, a.Discarded + b.Discarded, a.Cancelled + b.Cancelled,
        a.RunMilliseconds + b.RunMilliseconds);
}
