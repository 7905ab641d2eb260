using JobPlatform.Core;

namespace JobPlatform.Jobs.Reports;

/// <summary>What the operations report shows.</summary>
/// <param name="Title">The heading.</param>
/// <param name="From">Start of the range (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="GeneratedAt">When the data was read.</param>
/// <param name="Outcomes">Finished attempts per queue and kind in the range, from the per-minute statistics.</param>
/// <param name="Latency">Wait and run time of retained jobs finalized in the range, per queue and kind.</param>
/// <param name="Failures">The most frequent errors of jobs discarded in the range.</param>
/// <param name="Backlog">Each queue's jobs waiting and running now.</param>
public sealed record OperationsReportData(
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<QueueKindOutcomes> Outcomes,
    IReadOnlyList<QueueKindLatency> Latency,
    IReadOnlyList<FailureGroup> Failures,
    IReadOnlyList<QueueStats> Backlog);
