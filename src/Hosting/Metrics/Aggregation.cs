namespace JobPlatform.Hosting;

/// <summary>How the measurements of one instrument are folded into a series.</summary>
internal enum Aggregation
{
    /// <summary>A running sum (counters, up-down counters).</summary>
    Sum,

    /// <summary>The last value reported (observable instruments and gauges).</summary>
    LastValue,

    /// <summary>Bucket counts and a sum.</summary>
    Histogram,
}
