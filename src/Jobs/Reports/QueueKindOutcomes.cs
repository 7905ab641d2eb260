namespace JobPlatform.Jobs.Reports;

/// <summary>Finished attempts of one kind on one queue over the report's range.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Completed">Jobs that succeeded.</param>
/// <param name="Failed">Attempts that failed and were scheduled for a retry.</param>
/// <param name="Discarded">Jobs that failed for good (last attempt, or discarded by the handler).</param>
/// <param name="Cancelled">Running jobs that were cancelled.</param>
/// <param name="Snoozed">Attempts put off without spending the attempt (open breaker, rate limit).</param>
/// <param name="RunMsSum">Total run time of those attempts, in milliseconds.</param>
public sealed record QueueKindOutcomes(
    string Queue, string Kind, long Completed, long Failed, long Discarded, long Cancelled, long Snoozed, long RunMsSum)
{
    /// <summary>Every attempt counted.</summary>
    public long Attempts => Completed + Failed + Discarded + Cancelled + Snoozed;

    /// <summary>Mean run time of an attempt in milliseconds; null without attempts.</summary>
    public double? MeanRunMs => Attempts == 0 ? null : (double)RunMsSum / Attempts;
}
