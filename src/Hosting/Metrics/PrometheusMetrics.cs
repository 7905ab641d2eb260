using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace JobPlatform.Hosting;

/// <summary>
/// Collects every instrument of the <c>JobPlatform</c> meters through a <see cref="MeterListener"/> and renders
/// them in the Prometheus text format (0.0.4). Counters become <c>_total</c> counters, up-down counters gauges,
/// histograms cumulative buckets with the instrument's advised boundaries.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly string[] _meterPrefixes;

    /// <summary>Listens to meters named <c>JobPlatform</c> or <c>JobPlatform.*</c>, or to the given names and their children.</summary>
    public PrometheusMetrics(params string[] meterNames)
    {
        _meterPrefixes = meterNames.Length == 0 ? ["JobPlatform"] : meterNames;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meterPrefixes.Any(p => instrument.Meter.Name == p || instrument.Meter.Name.StartsWith(p + ".", StringComparison.Ordinal)))
            {
                _instruments[instrument] = new InstrumentState(instrument);
                listener.EnableMeasurementEvents(instrument, _instruments[instrument]);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out var removed);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>Renders every series in the Prometheus text exposition format.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            state.Render(text);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Escape(string? value) =>
        (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>All series of one instrument, keyed by their rendered label set.</summary>
    private sealed class InstrumentState
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly string _kind;
        private readonly double[] _buckets;
        private readonly string? _help;

        public InstrumentState(Instrument instrument)
        {
            _help = instrument.Description;
            IsObservable = instrument.IsObservable;
            var baseName = Sanitize(instrument.Name);
            (_kind, Name) = instrument switch
            {
                _ when IsGeneric(instrument, typeof(Counter<>)) || IsGeneric(instrument, typeof(ObservableCounter<>)) =>
                    ("counter", baseName.EndsWith("_total", StringComparison.Ordinal) ? baseName : baseName + "_total"),
                _ when IsGeneric(instrument, typeof(Histogram<>)) => ("histogram", baseName),
                _ => ("gauge", baseName),
            };
            _buckets = _kind == "histogram" ? AdvisedBuckets(instrument) ?? DefaultBuckets : [];
        }

        public string Name { get; }

        private bool IsObservable { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = LabelKey(tags);
            var series = _series.GetOrAdd(key, _ => new Series(_buckets.Length));
            switch (_kind)
            {
                case "histogram":
                    series.Observe(value, _buckets);
                    break;
                case "counter" or "gauge" when IsObservable:
                    series.Set(value);
                    break;
                default:
                    series.Add(value);
                    break;
            }
        }

        public void Render(StringBuilder text)
        {
            if (_series.IsEmpty)
            {
                return;
            }

            if (!string.IsNullOrEmpty(_help))
            {
                text.Append("# HELP ").Append(Name).Append(' ').Append(_help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(Name).Append(' ').Append(_kind).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (_kind != "histogram")
                {
                    text.Append(Name).Append(Braces(labels)).Append(' ').Append(Format(series.Value)).Append('\n');
                    continue;
                }

                var (counts, count, sum) = series.Snapshot();
                long cumulative = 0;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    cumulative += counts[i];
                    text.Append(Name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Format(_buckets[i])}\""))).Append(' ').Append(cumulative).Append('\n');
                }

                text.Append(Name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(count).Append('\n');
                text.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(sum)).Append('\n');
                text.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(count).Append('\n');
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string LabelKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }

            var pairs = new (string Key, string Value)[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                pairs[i] = (Sanitize(tags[i].Key), Escape(Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture)));
            }

            Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            return string.Join(",", pairs.Select(p => $"{p.Key}=\"{p.Value}\""));
        }

        private static bool IsGeneric(Instrument instrument, Type open) =>
            instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == open;

        private static double[]? AdvisedBuckets(Instrument instrument) => instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
    }
}
