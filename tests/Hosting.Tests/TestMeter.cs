using System.Diagnostics.Metrics;

namespace JobPlatform.Hosting.Tests;

/// <summary>A meter of its own and an exporter that sees only it, so tests running in parallel never meet.</summary>
internal sealed class TestMeter : IDisposable
{
    public TestMeter(int maxSeries = PrometheusMetricsOptions.DefaultMaxSeriesPerInstrument)
    {
        Meter = new Meter($"JobPlatform.Test.{Guid.NewGuid():N}");
        Exporter = new PrometheusMetrics(new PrometheusMetricsOptions { MeterPrefixes = [Meter.Name], MaxSeriesPerInstrument = maxSeries });
    }

    public Meter Meter { get; }

    public PrometheusMetrics Exporter { get; }

    public string[] Lines() => Exporter.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
