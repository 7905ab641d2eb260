using System.Diagnostics.Metrics;

namespace JobPlatform.Cli.Bench;

/// <summary>Listens to the engine's meter during the benchmark: how many fetches and outcome batches the
/// work took, which explains a work rate better than the rate alone.</summary>
internal sealed class EngineProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _fetches;
    private long _fetched;
    private long _completionBatches;

    public EngineProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Core.Diagnostics.EngineMetrics.MeterName &&
                instrument.Name is "jobplatform.fetch.batch_size" or "jobplatform.completer.batches")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            Interlocked.Increment(ref _fetches);
            Interlocked.Add(ref _fetched, value);
        });
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _completionBatches, value));
        _listener.Start();
    }

    /// <summary>Counts so far: fetches, jobs they leased, outcome batches written.</summary>
    public (long Fetches, long Fetched, long CompletionBatches) Snapshot() =>
        (Interlocked.Read(ref _fetches), Interlocked.Read(ref _fetched), Interlocked.Read(ref _completionBatches));

    public void Dispose() => _listener.Dispose();
}
