using System.Diagnostics.Metrics;

namespace JobPlatform.Core.Diagnostics;

/// <summary>The engine's instruments on the <c>JobPlatform</c> meter (exported as Prometheus text by the hosts).</summary>
internal static class EngineMetrics
{
    public const string MeterName = JobPlatformTelemetry.MeterName;

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>(
        "jobplatform.jobs.finished", description: "Attempts finished, by queue, kind and outcome (completed, failed, discarded, cancelled, snoozed, released).");

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram(
        "jobplatform.job.duration.seconds", unit: "s", description: "Handler run time of an attempt.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800] });

    public static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>(
        "jobplatform.jobs.in_flight", description: "Jobs running in this process, by queue.");

    public static readonly Histogram<int> FetchBatchSize = Meter.CreateHistogram(
        "jobplatform.fetch.batch_size", description: "Jobs leased per fetch, by queue.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 5, 10, 50, 100, 500, 1000, 5000] });

    public static readonly Counter<long> CompletionBatches = Meter.CreateCounter<long>(
        "jobplatform.completer.batches", description: "Outcome batches written.");

    public static readonly Counter<long> HandOffs = Meter.CreateCounter<long>(
        "jobplatform.jobs.handoffs", description: "Jobs a producer handed to a slot this worker offered, started without a lease, by queue.");

    public static readonly Counter<long> HandOffsRecovered = Meter.CreateCounter<long>(
        "jobplatform.jobs.handoffs_recovered", description: "Handed jobs whose notification was lost, found by the heartbeat and started, by queue.");

    public static readonly Counter<long> DatabaseErrors = Meter.CreateCounter<long>(
        "jobplatform.database.errors", description: "Failed database calls of the engine, by component.");
}
