namespace JobPlatform.Jobs;

/// <summary>The reports <c>report.generate</c> can produce (<see cref="ReportGenerateArgs.Report"/>).</summary>
public static class ReportNames
{
    /// <summary>Jobs per queue and kind, failures and latency over a time range, with a bar chart; reads the job tables.</summary>
    public const string Operations = "operations";

    /// <summary>A customer's invoice statement for one billing period; reads the billing tables.</summary>
    public const string Statement = "statement";

    /// <summary>Every report name.</summary>
    public static IReadOnlyList<string> All { get; } = [Operations, Statement];
}
