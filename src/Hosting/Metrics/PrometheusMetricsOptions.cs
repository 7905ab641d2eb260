namespace JobPlatform.Hosting;

/// <summary>Which meters <see cref="PrometheusMetrics"/> exports, and how much it keeps.</summary>
public sealed class PrometheusMetricsOptions
{
    /// <summary>The meter name exported when no other is configured.</summary>
    public const string DefaultMeterPrefix = "JobPlatform";

    /// <summary>The default for <see cref="MaxSeriesPerInstrument"/>.</summary>
    public const int DefaultMaxSeriesPerInstrument = 2000;

    /// <summary>
    /// Meter names to export: a meter is exported when its name equals one of these or starts with one of them
    /// followed by a dot (<c>JobPlatform</c> matches <c>JobPlatform</c> and <c>JobPlatform.Worker</c>, not
    /// <c>JobPlatformX</c>). Compared case-sensitively.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultMeterPrefix"/> alone.</value>
    public IList<string> MeterPrefixes { get; set; } = [DefaultMeterPrefix];

    /// <summary>
    /// The most label sets kept per instrument. Measurements with a new label set past this limit are dropped and
    /// counted in a comment of the exposition, so a tag with unbounded values (a job id) cannot exhaust memory.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultMaxSeriesPerInstrument"/>.</value>
    public int MaxSeriesPerInstrument { get; set; } = DefaultMaxSeriesPerInstrument;
}
