namespace JobPlatform.Jobs.Reports;

/// <summary>Latency of the retained jobs of one kind on one queue finalized in the report's range.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Jobs">How many jobs were measured.</param>
/// <param name="WaitP50Ms">Median time from due to the start of the last attempt, in milliseconds.</param>
/// <param name="WaitP95Ms">95th percentile of that wait.</param>
/// <param name="RunP50Ms">Median run time of the last attempt, in milliseconds.</param>
/// <param name="RunP95Ms">95th percentile of the run time.</param>
public sealed record QueueKindLatency(string Queue, string Kind, long Jobs, double WaitP50Ms, double WaitP95Ms, double RunP50Ms, double RunP95Ms);
