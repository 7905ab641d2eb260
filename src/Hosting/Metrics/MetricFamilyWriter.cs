using System.Text;

namespace JobPlatform.Hosting;

/// <summary>Writes metric families (HELP, TYPE and samples) in the Prometheus text exposition format 0.0.4.</summary>
internal static class MetricFamilyWriter
{
    /// <summary>
    /// Writes one family from every instrument that maps to <paramref name="name"/>. The first instrument sets the
    /// type and help; an instrument of another type under the same name is left out with a comment, because a
    /// second TYPE line for one name makes Prometheus reject the whole scrape.
    /// </summary>
    public static void Write(StringBuilder text, string name, IReadOnlyList<InstrumentAggregator> instruments)
    {
        var first = instruments[0];
        var headerWritten = false;
        foreach (var instrument in instruments)
        {
            if (instrument.Type != first.Type)
            {
                text.Append("# ").Append(name).Append(": left out the ").Append(instrument.Type).Append(" of meter ")
                    .Append(instrument.MeterName).Append(", the name is already a ").Append(first.Type).Append('\n');
                continue;
            }

            var series = instrument.SeriesToRender();
            if (series.Count > 0 && !headerWritten)
            {
                if (!string.IsNullOrEmpty(first.Help))
                {
                    PrometheusText.AppendHelp(text.Append("# HELP ").Append(name).Append(' '), first.Help).Append('\n');
                }

                text.Append("# TYPE ").Append(name).Append(' ').Append(first.Type).Append('\n');
                headerWritten = true;
            }

            foreach (var s in series)
            {
                if (instrument.Aggregation == Aggregation.Histogram)
                {
                    WriteHistogram(text, name, instrument, s);
                }
                else
                {
                    WriteSample(text, name, "", s.Labels, "", SampleValue(instrument, s));
                }
            }

            if (instrument.Dropped > 0)
            {
                text.Append("# ").Append(name).Append(": dropped ").Append(instrument.Dropped)
                    .Append(" measurements of new label sets past the limit of ").Append(instrument.MaxSeries)
                    .Append(" (PrometheusMetricsOptions.MaxSeriesPerInstrument); a tag has too many values\n");
            }
        }
    }

    private static string SampleValue(InstrumentAggregator instrument, Series series) =>
        instrument.Aggregation == Aggregation.LastValue ? PrometheusText.Number(series.LastValue)
        : instrument.IsInteger ? PrometheusText.Number(series.IntegerSum)
        : PrometheusText.Number(series.FloatingSum);

    private static void WriteHistogram(StringBuilder text, string name, InstrumentAggregator instrument, Series series)
    {
        // Buckets are stored apart and made cumulative here; the count is their total, so the +Inf bucket and
        // _count always agree even while observations race with the scrape.
        var counts = series.BucketCounts();
        long cumulative = 0;
        for (var i = 0; i < instrument.Bounds.Length; i++)
        {
            cumulative += counts[i];
            WriteSample(text, name, "_bucket", series.Labels, $"le=\"{PrometheusText.Number(instrument.Bounds[i])}\"", PrometheusText.Number(cumulative));
        }

        cumulative += counts[^1];
        WriteSample(text, name, "_bucket", series.Labels, "le=\"+Inf\"", PrometheusText.Number(cumulative));
        var sum = instrument.IsInteger ? PrometheusText.Number(series.IntegerSum) : PrometheusText.Number(series.FloatingSum);
        WriteSample(text, name, "_sum", series.Labels, "", sum);
        WriteSample(text, name, "_count", series.Labels, "", PrometheusText.Number(cumulative));
    }

    private static void WriteSample(StringBuilder text, string name, string suffix, string labels, string extraLabel, string value)
    {
        text.Append(name).Append(suffix);
        if (labels.Length > 0 || extraLabel.Length > 0)
        {
            text.Append('{').Append(labels);
            if (labels.Length > 0 && extraLabel.Length > 0)
            {
                text.Append(',');
            }

            text.Append(extraLabel).Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }
}
