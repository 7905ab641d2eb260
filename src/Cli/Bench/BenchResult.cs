namespace JobPlatform.Cli.Bench;

/// <summary>What the three phases measured.</summary>
internal sealed record BenchResult
{
    public required int Jobs { get; init; }

    public required TimeSpan EnqueueTime { get; init; }

    public required TimeSpan WorkTime { get; init; }

    /// <summary>Fetch statements of the work phase (empty ones included).</summary>
    public long Fetches { get; init; }

    /// <summary>Jobs those fetches leased.</summary>
    public long Fetched { get; init; }

    /// <summary>Outcome batches written during the work phase.</summary>
    public long CompletionBatches { get; init; }

    /// <summary>Probes that ran (0 when the latency phase was skipped).</summary>
    public int Probes { get; init; }

    public double? PickupP50Ms { get; init; }

    public double? PickupP99Ms { get; init; }

    public double EnqueuePerSecond => Jobs / Math.Max(EnqueueTime.TotalSeconds, 1e-9);

    public double WorkPerSecond => Jobs / Math.Max(WorkTime.TotalSeconds, 1e-9);
}
