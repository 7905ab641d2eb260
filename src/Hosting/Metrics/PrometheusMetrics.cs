using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobPlatform.Hosting;

/// <summary>
/// Exports the instruments of the <c>JobPlatform</c> meters in the Prometheus text format 0.0.4, without a
/// metrics package: a <see cref="MeterListener"/> aggregates measurements in memory and <see cref="Render"/>
/// writes them out. Counters become <c>_total</c> counters, up-down counters and gauges become gauges,
/// histograms cumulative buckets (the instrument's advised boundaries, else boundaries suited to seconds).
/// Recording is lock-free and, once a label set has been seen, allocation-free. Register it as a singleton
/// with <see cref="PrometheusEndpointExtensions.AddPrometheusMetrics"/>.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregator> _instruments = new();
    private readonly Lock _renderGate = new();
    private readonly string[] _exactNames;
    private readonly string[] _childPrefixes;
    private readonly int _maxSeries;
    private readonly ILogger _logger;
    private long _generation;

    /// <summary>Starts listening to the meters <paramref name="options"/> names (by default, <c>JobPlatform</c> and <c>JobPlatform.*</c>).</summary>
    /// <param name="options">Which meters to export; null for the defaults.</param>
    /// <param name="logger">Where a failing observable callback is reported; null to stay silent.</param>
    /// <exception cref="ArgumentException">The options name no meter or allow no series.</exception>
    public PrometheusMetrics(PrometheusMetricsOptions? options = null, ILogger<PrometheusMetrics>? logger = null)
    {
        options ??= new PrometheusMetricsOptions();
        if (options.MeterPrefixes.Count == 0 || options.MeterPrefixes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("PrometheusMetricsOptions.MeterPrefixes must name at least one meter and hold no empty names, e.g. \"JobPlatform\".", nameof(options));
        }

        if (options.MaxSeriesPerInstrument < 1)
        {
            throw new ArgumentException($"PrometheusMetricsOptions.MaxSeriesPerInstrument is {options.MaxSeriesPerInstrument}; it must be at least 1 (default {PrometheusMetricsOptions.DefaultMaxSeriesPerInstrument}).", nameof(options));
        }

        _exactNames = [.. options.MeterPrefixes];
        _childPrefixes = [.. options.MeterPrefixes.Select(p => p + ".")];
        _maxSeries = options.MaxSeriesPerInstrument;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>
    /// Reads the observable instruments, then renders every series in the Prometheus text exposition format 0.0.4,
    /// families sorted by name and series by labels. Scrapes are serialized: each reads its own observations.
    /// </summary>
    public string Render()
    {
        lock (_renderGate)
        {
            var generation = ++_generation;
            foreach (var instrument in _instruments.Values)
            {
                instrument.BeginCollection(generation);
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception e)
            {
                // One broken callback must not cost the whole scrape; the instruments that did report are rendered.
                _logger.LogWarning(e, "An observable instrument callback failed while collecting metrics");
            }

            var text = new StringBuilder();
            var families = _instruments.Values
                .OrderBy(i => i.Name, StringComparer.Ordinal)
                .ThenBy(i => i.MeterName, StringComparer.Ordinal)
                .GroupBy(i => i.Name, StringComparer.Ordinal);
            foreach (var family in families)
            {
                MetricFamilyWriter.Write(text, family.Key, [.. family]);
            }

            return text.ToString();
        }
    }

    /// <summary>Stops listening; later measurements are not recorded.</summary>
    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!IsExported(instrument.Meter.Name) || InstrumentAggregator.TryCreate(instrument, _maxSeries) is not { } aggregator)
        {
            return;
        }

        _instruments[instrument] = aggregator;
        listener.EnableMeasurementEvents(instrument, aggregator);
    }

    private bool IsExported(string meterName)
    {
        for (var i = 0; i < _exactNames.Length; i++)
        {
            if (meterName == _exactNames[i] || meterName.StartsWith(_childPrefixes[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
