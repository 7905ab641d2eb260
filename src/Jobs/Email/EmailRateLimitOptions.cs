namespace JobPlatform.Jobs.Email;

/// <summary>
/// The SMTP provider's rate limit (section <c>Email:RateLimit</c>): a token bucket in PostgreSQL shared by every
/// worker. A message waits in process for a token when one comes within <see cref="MaxWait"/>; otherwise the job
/// is snoozed (the attempt is not spent).
/// </summary>
public sealed class EmailRateLimitOptions
{
    /// <summary>Default longest in-process wait for a token.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(1);

    /// <summary>Messages per second across all workers (<c>Email:RateLimit:PerSecond</c>); 0, the default, means unlimited.</summary>
    public double PerSecond { get; set; }

    /// <summary>Messages that may go at once after a quiet spell (<c>Email:RateLimit:Burst</c>, at least 1); unset:
    /// one second's worth (<see cref="PerSecond"/> rounded up).</summary>
    public double? Burst { get; set; }

    /// <summary>Longest wait for a token inside the worker (<c>Email:RateLimit:MaxWait</c>); longer waits snooze the job.</summary>
    public TimeSpan MaxWait { get; set; } = DefaultMaxWait;

    /// <summary>The bucket's name (<c>Email:RateLimit:Bucket</c>); unset: <c>smtp:&lt;host&gt;:&lt;port&gt;</c>, so workers
    /// sending through the same server share one bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>The effective capacity.</summary>
    internal double EffectiveBurst => Burst ?? Math.Max(1, Math.Ceiling(PerSecond));
}
