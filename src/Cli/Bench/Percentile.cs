namespace JobPlatform.Cli.Bench;

/// <summary>Nearest-rank percentiles.</summary>
internal static class Percentile
{
    /// <summary>The smallest sample with at least <paramref name="percent"/>% of the samples at or below it; null when empty.</summary>
    public static double? Of(ReadOnlySpan<double> samples, double percent)
    {
        if (samples.IsEmpty)
        {
            return null;
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
