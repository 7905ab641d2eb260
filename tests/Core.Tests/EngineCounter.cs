using System.Diagnostics.Metrics;

namespace JobPlatform.Core.Tests;

/// <summary>Counts one of the engine's counters for one queue (tests use queues of their own, so the count is
/// theirs even while other tests run).</summary>
internal sealed class EngineCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public EngineCounter(string instrument, string queue)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == Diagnostics.EngineMetrics.MeterName && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "queue" && Equals(tag.Value, queue))
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
