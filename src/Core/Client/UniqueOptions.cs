namespace JobPlatform.Core;

/// <summary>Deduplication of inserts by a caller-chosen key.</summary>
public sealed record UniqueOptions
{
    /// <summary>Maximum length of <see cref="Key"/>.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The key; two inserts with the same key are one job while the first is in <see cref="States"/>.
    /// Keys are global across queues and kinds: include the kind in the key when that matters.</summary>
    public required string Key { get; init; }

    /// <summary>Which states of the existing job block a new insert; default <see cref="UniqueStates.Default"/>.</summary>
    public UniqueStates States { get; init; } = UniqueStates.Default;

    /// <summary>
    /// When set, the key is only unique within a period of this length (aligned to the Unix epoch in UTC):
    /// "at most one per hour". The period's start is appended to the stored key.
    /// </summary>
    public TimeSpan? Period { get; init; }
}
