namespace JobPlatform.Hosting;

/// <summary>The tags of a measurement exactly as the caller passed them, with their hash computed once.</summary>
internal sealed class TagKey(KeyValuePair<string, object?>[] tags, int hash)
{
    public KeyValuePair<string, object?>[] Tags { get; } = tags;

    public int Hash { get; } = hash;
}
