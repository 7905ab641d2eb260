namespace JobPlatform.Cli.Bench;

/// <summary>Defaults and accepted ranges of the benchmark's options.</summary>
internal static class BenchLimits
{
    public const int DefaultJobs = 100_000;
    public const int MaxJobs = 10_000_000;
    public const int DefaultConcurrency = 1000;
    public const int MaxConcurrency = 10_000;
    public const int DefaultRate = 500;
    public const int MaxRate = 100_000;
    public const double DefaultLatencySeconds = 10;
    public const double MaxLatencySeconds = 3600;
    public const int DefaultBatch = 10_000;
    public const int MaxBatch = 100_000;
    public const int DefaultProducers = 8;
    public const int MaxProducers = 256;
    public const double DefaultSingleSeconds = 5;
    public const double MaxSingleSeconds = 600;
    public const int DefaultIdleWorkers = 4;
    public const int MaxIdleWorkers = 32;
    public const double DefaultIdleSeconds = 10;
    public const double MaxIdleSeconds = 600;
    public const int MaxPrefillFinished = 50_000_000;

    /// <summary>A phase that makes no progress for this long has stalled: the benchmark fails instead of hanging.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
}
