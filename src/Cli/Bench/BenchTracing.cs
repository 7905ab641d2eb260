using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// <c>jobctl bench --trace</c>: listens to the engine's activity source and records every activity (enqueues and
/// runs, with all their tags), so the run shows what tracing costs the engine against a run without it. It keeps
/// nothing but a count, as an exporter that drops everything would.
/// </summary>
internal sealed class BenchTracing : IDisposable
{
    private readonly ActivityListener _listener;
    private long _stopped;

    public BenchTracing()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JobPlatformTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _stopped),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Activities recorded and ended so far.</summary>
    public long Stopped => Interlocked.Read(ref _stopped);

    public void Dispose() => _listener.Dispose();
}
