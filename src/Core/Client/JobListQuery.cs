namespace JobPlatform.Core;

/// <summary>Filters for <see cref="JobClient.ListAsync"/>; null matches all.</summary>
public sealed record JobListQuery
{
    /// <summary>Largest <see cref="Limit"/> accepted.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Only jobs of this kind.</summary>
    public string? Kind { get; init; }

    /// <summary>Only jobs in this state.</summary>
    public JobState? State { get; init; }

    /// <summary>Only jobs on this queue.</summary>
    public string? Queue { get; init; }

    /// <summary>At most this many jobs, newest first (default 100, at most 10,000).</summary>
    public int Limit { get; init; } = 100;
}
