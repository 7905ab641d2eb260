namespace JobPlatform.Jobs.Reports;

/// <summary>One bar of a <see cref="BarChart"/>: a label and two stacked values (good and bad outcomes).</summary>
/// <param name="Label">Shown left of the bar.</param>
/// <param name="Good">The first segment (e.g. completed jobs), drawn in green.</param>
/// <param name="Bad">The second segment (e.g. failed and discarded), drawn in red.</param>
public sealed record BarChartBar(string Label, long Good, long Bad)
{
    /// <summary>The bar's full length.</summary>
    public long Total => Good + Bad;
}
