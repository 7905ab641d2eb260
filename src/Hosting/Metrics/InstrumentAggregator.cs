using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace JobPlatform.Hosting;

/// <summary>
/// Every series of one instrument. The hot path finds a series by the measurement's tags through an alternate
/// lookup (no copy, no string) and updates it with interlocked operations; only the first measurement of a new
/// tag set takes the lock, to render its labels and create the series.
/// </summary>
internal sealed class InstrumentAggregator
{
    private static readonly double[] DefaultBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly ConcurrentDictionary<TagKey, Series> _byTags = new(TagKeyComparer.Instance);
    private readonly ConcurrentDictionary<TagKey, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly Dictionary<string, Series> _byLabels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly int _maxSeries;
    private Series? _untagged;
    private volatile bool _full;
    private long _dropped;
    private long _generation;

    private InstrumentAggregator(Instrument instrument, string type, Aggregation aggregation, bool integer, int maxSeries)
    {
        _lookup = _byTags.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        Aggregation = aggregation;
        _maxSeries = maxSeries;
        MeterName = instrument.Meter.Name;
        Type = type;
        IsInteger = integer;
        IsObservable = instrument.IsObservable;
        Help = instrument.Description;
        var name = PrometheusText.MetricName(instrument.Name);
        Name = type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
        Bounds = aggregation == Aggregation.Histogram ? HistogramBounds(instrument) : [];
    }

    /// <summary>The metric family name, with <c>_total</c> for counters.</summary>
    public string Name { get; }

    public string MeterName { get; }

    /// <summary>The Prometheus type: <c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public string? Help { get; }

    public Aggregation Aggregation { get; }

    /// <summary>Measurements are whole numbers, summed exactly and rendered without a decimal point.</summary>
    public bool IsInteger { get; }

    public bool IsObservable { get; }

    public double[] Bounds { get; }

    /// <summary>Measurements dropped because their label set would have exceeded the series limit.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int MaxSeries => _maxSeries;

    /// <summary>Returns null for instrument kinds this exporter does not know.</summary>
    public static InstrumentAggregator? TryCreate(Instrument instrument, int maxSeries)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var integer = type.GetGenericArguments()[0] is var t && (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(byte));
        (string Type, Aggregation Aggregation)? shape = definition switch
        {
            _ when definition == typeof(Counter<>) => ("counter", Aggregation.Sum),
            _ when definition == typeof(ObservableCounter<>) => ("counter", Aggregation.LastValue),
            _ when definition == typeof(UpDownCounter<>) => ("gauge", Aggregation.Sum),
            _ when definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) =>
                ("gauge", Aggregation.LastValue),
            _ when definition == typeof(Histogram<>) => ("histogram", Aggregation.Histogram),
            _ => null,
        };
        return shape is { } s ? new InstrumentAggregator(instrument, s.Type, s.Aggregation, integer, maxSeries) : null;
    }

    /// <summary>Starts a collection: observable values reported from now on belong to <paramref name="generation"/>.</summary>
    public void BeginCollection(long generation) => Interlocked.Exchange(ref _generation, generation);

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        switch (Aggregation)
        {
            case Aggregation.Sum:
                series?.Add(value);
                break;
            case Aggregation.LastValue:
                series?.Set(value, Interlocked.Read(ref _generation));
                break;
            default:
                series?.Observe(value, Bounds);
                break;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        switch (Aggregation)
        {
            case Aggregation.Sum:
                series?.Add(value);
                break;
            case Aggregation.LastValue:
                series?.Set(value, Interlocked.Read(ref _generation));
                break;
            default:
                series?.Observe(value, Bounds);
                break;
        }
    }

    /// <summary>
    /// The series to render, sorted by labels. For observable instruments only those reported in the current
    /// collection: a label set the callback stopped reporting (a queue that went away) must not linger at its last value.
    /// </summary>
    public List<Series> SeriesToRender()
    {
        List<Series> series;
        lock (_gate)
        {
            series = [.. _byLabels.Values];
        }

        if (IsObservable)
        {
            var current = Interlocked.Read(ref _generation);
            series.RemoveAll(s => s.Generation != current);
        }

        series.Sort((a, b) => string.CompareOrdinal(a.Labels, b.Labels));
        return series;
    }

    private Series? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Volatile.Read(ref _untagged) ?? Add(tags);
        }

        return _lookup.TryGetValue(tags, out var series) ? series : Add(tags);
    }

    private Series? Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Checked before the lock so that, once full, a flood of new label sets costs an increment, not contention.
        if (_full)
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }

        lock (_gate)
        {
            var existing = tags.IsEmpty ? _untagged : _lookup.TryGetValue(tags, out var found) ? found : null;
            if (existing is not null)
            {
                return existing;
            }

            var labels = PrometheusText.LabelSet(tags, Aggregation == Aggregation.Histogram);
            if (!_byLabels.TryGetValue(labels, out var series))
            {
                if (_byLabels.Count >= _maxSeries)
                {
                    _full = true;
                    Interlocked.Increment(ref _dropped);
                    return null;
                }

                series = new Series(labels, Aggregation == Aggregation.Histogram ? Bounds.Length + 1 : 0);
                _byLabels.Add(labels, series);
            }

            if (tags.IsEmpty)
            {
                Volatile.Write(ref _untagged, series);
            }
            else
            {
                _lookup.TryAdd(tags, series);
            }

            return series;
        }
    }

    private static double[] HistogramBounds(Instrument instrument)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };

        // +Inf is always rendered from the count, so an advised infinite bound would only duplicate it.
        var bounds = advised?.Where(double.IsFinite).Distinct().Order().ToArray();
        return bounds is { Length: > 0 } ? bounds : DefaultBuckets;
    }
}
