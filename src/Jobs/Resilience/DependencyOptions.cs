namespace JobPlatform.Jobs.Resilience;

/// <summary>
/// The resilience settings of one external dependency (section <c>Jobs:Resilience:&lt;name&gt;</c>, e.g.
/// <c>Jobs:Resilience:smtp:BreakDuration</c>): a per-call timeout, quick in-process retries with jitter for
/// transient faults, and a circuit breaker. While the breaker is open, jobs that need the dependency are
/// snoozed (not failed), so an outage spends no attempts.
/// </summary>
public sealed record DependencyOptions
{
    /// <summary>Default per-call time limit.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default first retry delay (exponential, with jitter).</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Default breaker sampling window.</summary>
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>Default time the breaker stays open before letting one trial call through.</summary>
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromSeconds(30);

    /// <summary>Default number of in-process retries of one call.</summary>
    public const int DefaultMaxRetryAttempts = 2;

    /// <summary>Default share of failed calls in the window that opens the breaker.</summary>
    public const double DefaultFailureRatio = 0.5;

    /// <summary>Default number of calls in the window before the breaker may open.</summary>
    public const int DefaultMinimumThroughput = 5;

    /// <summary>Default longest Retry-After honoured in process; longer ones snooze the job instead.</summary>
    public static readonly TimeSpan DefaultMaxInProcessRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Time limit of one call; a timeout counts as a transient fault.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>In-process retries of a transiently failed call (0 to 10) before the job attempt fails.</summary>
    public int MaxRetryAttempts { get; set; } = DefaultMaxRetryAttempts;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = DefaultRetryDelay;

    /// <summary>Share of transiently failed calls (0.01 to 1) in <see cref="SamplingDuration"/> that opens the breaker.</summary>
    public double FailureRatio { get; set; } = DefaultFailureRatio;

    /// <summary>Calls needed in <see cref="SamplingDuration"/> before the breaker may open (at least 2).</summary>
    public int MinimumThroughput { get; set; } = DefaultMinimumThroughput;

    /// <summary>The breaker's sampling window (at least 500 ms).</summary>
    public TimeSpan SamplingDuration { get; set; } = DefaultSamplingDuration;

    /// <summary>How long the breaker stays open (at least 500 ms); jobs are snoozed about this long.</summary>
    public TimeSpan BreakDuration { get; set; } = DefaultBreakDuration;

    /// <summary>A Retry-After up to this long is waited out in process; a longer one snoozes the job.</summary>
    public TimeSpan MaxInProcessRetryAfter { get; set; } = DefaultMaxInProcessRetryAfter;

    /// <summary>
    /// The longest one call through the pipeline can take: every try at its timeout, the exponential retry delays
    /// (jitter can add up to half of each again), and Retry-After waits held in process. A kind's attempt timeout must
    /// exceed it, or the job's own timeout would cut a call short mid-retry and spend the attempt.
    /// </summary>
    public TimeSpan LongestCall
    {
        get
        {
            var delays = TimeSpan.Zero;
            for (var i = 0; i < MaxRetryAttempts; i++)
            {
                var backoff = RetryDelay * Math.Pow(2, i) * 1.5;
                delays += backoff > MaxInProcessRetryAfter ? backoff : MaxInProcessRetryAfter;
            }

            return Timeout * (MaxRetryAttempts + 1) + delays;
        }
    }

    /// <summary>Every problem with these settings, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{section}:Timeout is {Timeout}; it must be positive, e.g. 00:00:30.";
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            yield return $"{section}:MaxRetryAttempts is {MaxRetryAttempts}; it must be 0 to 10.";
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            yield return $"{section}:RetryDelay is {RetryDelay}; it must not be negative.";
        }

        if (FailureRatio is < 0.01 or > 1)
        {
            yield return $"{section}:FailureRatio is {FailureRatio}; it must be 0.01 to 1, e.g. 0.5.";
        }

        if (MinimumThroughput < 2)
        {
            yield return $"{section}:MinimumThroughput is {MinimumThroughput}; it must be at least 2.";
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{section}:SamplingDuration is {SamplingDuration}; it must be at least 00:00:00.5.";
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{section}:BreakDuration is {BreakDuration}; it must be at least 00:00:00.5.";
        }

        if (MaxInProcessRetryAfter < TimeSpan.Zero)
        {
            yield return $"{section}:MaxInProcessRetryAfter is {MaxInProcessRetryAfter}; it must not be negative.";
        }
    }
}
