namespace JobPlatform.Core;

/// <summary>What <see cref="JobClient.RetryManyAsync"/> or <see cref="JobClient.CancelManyAsync"/> did.</summary>
public sealed record BulkOutcome
{
    /// <summary>Distinct ids asked for.</summary>
    public required int Requested { get; init; }

    /// <summary>Jobs retried, or cancelled (including running ones told to stop).</summary>
    public required int Changed { get; init; }

    /// <summary>Of <see cref="Changed"/>, running jobs whose workers were told to cancel their token: they become
    /// cancelled when their handler stops.</summary>
    public int CancellationRequested { get; init; }

    /// <summary>Ids that match no job (never made, or pruned).</summary>
    public required int NotFound { get; init; }

    /// <summary>Jobs left as they were, by their state: a state the action does not apply to (a running job
    /// cannot be retried, a completed one cannot be cancelled).</summary>
    public required IReadOnlyDictionary<JobState, int> Unchanged { get; init; }

    /// <summary>Retries refused because another unfinished job now holds the job's unique key.</summary>
    public int UniqueKeyConflicts { get; init; }

    /// <summary>Jobs that could not be changed for any reason.</summary>
    public int Refused => NotFound + Unchanged.Values.Sum() + UniqueKeyConflicts;
}
