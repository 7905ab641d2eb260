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

    /// <summary>Work rates (jobs/s) of each full 10-second window of the work phase, in order.</summary>
    public IReadOnlyList<double> WindowRates { get; init; } = [];

    /// <summary>Slowest full window over the fastest (1 = no decay); null with fewer than two windows.</summary>
    public double? SlowestWindowRatio => WindowRates.Count < 2 ? null : WindowRates.Min() / WindowRates.Max();

    /// <summary>Probes that ran (0 when the latency phase was skipped).</summary>
    public int Probes { get; init; }

    public double? PickupP50Ms { get; init; }

    public double? PickupP99Ms { get; init; }

    /// <summary>Median time of the probes' enqueue calls alone (insert and commit), part of the pickup time.</summary>
    public double? EnqueueCallP50Ms { get; init; }

    /// <summary>From the enqueue call returning (the job committed) to the handler start: the engine's share.</summary>
    public double? PickupAfterCommitP50Ms { get; init; }

    /// <inheritdoc cref="PickupAfterCommitP50Ms"/>
    public double? PickupAfterCommitP99Ms { get; init; }

    /// <summary>Jobs per second of the single-enqueue phase; null when skipped.</summary>
    public double? EnqueueSinglePerSecond { get; init; }

    /// <summary>Producers of that phase.</summary>
    public int Producers { get; init; }

    /// <summary>Commands per second of the idle engines together; null when skipped.</summary>
    public double? IdleQueriesPerSecond { get; init; }

    /// <summary>Idle engines measured.</summary>
    public int IdleWorkers { get; init; }

    /// <summary>Peak resident memory of this process (the in-process worker) during work and latency phases, MiB.</summary>
    public double RssMiB { get; init; }

    /// <summary>Completed jobs written before the run.</summary>
    public int PrefilledFinished { get; init; }

    public double EnqueuePerSecond => Jobs / Math.Max(EnqueueTime.TotalSeconds, 1e-9);

    public double WorkPerSecond => Jobs / Math.Max(WorkTime.TotalSeconds, 1e-9);
}
