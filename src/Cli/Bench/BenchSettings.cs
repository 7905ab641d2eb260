namespace JobPlatform.Cli.Bench;

/// <summary>What <c>jobctl bench</c> runs, already checked against <see cref="BenchLimits"/>.</summary>
internal sealed record BenchSettings
{
    public required int Jobs { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>Latency probes enqueued per second.</summary>
    public required int Rate { get; init; }

    /// <summary>How long the latency probe runs; zero skips it.</summary>
    public required double LatencySeconds { get; init; }

    /// <summary>Jobs per EnqueueManyAsync call in the enqueue phase.</summary>
    public required int Batch { get; init; }

    /// <summary>Concurrent producers of the single-enqueue phase.</summary>
    public int Producers { get; init; } = BenchLimits.DefaultProducers;

    /// <summary>How long the single-enqueue phase runs; zero skips it.</summary>
    public double SingleSeconds { get; init; } = BenchLimits.DefaultSingleSeconds;

    /// <summary>Idle engines whose queries are counted.</summary>
    public int IdleWorkers { get; init; } = BenchLimits.DefaultIdleWorkers;

    /// <summary>How long idle queries are counted; zero skips the phase.</summary>
    public double IdleSeconds { get; init; } = BenchLimits.DefaultIdleSeconds;

    /// <summary>Completed jobs written before the run, as retained history, to see whether it slows the work.</summary>
    public int PrefillFinished { get; init; }

    /// <summary>Keep the schema (and its jobs) at the end instead of dropping it.</summary>
    public bool Keep { get; init; }

    /// <summary>Run the engine without direct hand-off, so pickups go through NOTIFY and a lease.</summary>
    public bool NoHandOff { get; init; }

    /// <summary>Record every activity of the engine's activity source (<see cref="BenchTracing"/>), to see what tracing costs.</summary>
    public bool Trace { get; init; }

    /// <summary>Latency probes measured.</summary>
    public int Probes => LatencySeconds <= 0 ? 0 : Math.Max(1, (int)Math.Round(Rate * LatencySeconds));

    /// <summary>Probes sent first and not measured: one second's worth, so that the connection pool and
    /// PostgreSQL's backends are warm (a cold pool opening dozens of connections at once costs seconds).</summary>
    public int Warmups => Probes == 0 ? 0 : Rate;
}
