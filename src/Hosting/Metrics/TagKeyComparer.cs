namespace JobPlatform.Hosting;

/// <summary>
/// Compares stored <see cref="TagKey"/>s with the span of tags a measurement arrives with, so the hot path finds
/// its series without copying the tags or building a string. Order-sensitive: the same tags in another order are
/// another key, which <see cref="InstrumentAggregator"/> points at the same series.
/// </summary>
internal sealed class TagKeyComparer : IEqualityComparer<TagKey>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagKey>
{
    public static readonly TagKeyComparer Instance = new();

    public bool Equals(TagKey? x, TagKey? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && SameTags(x.Tags, y.Tags));

    public int GetHashCode(TagKey obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagKey other) => SameTags(alternate, other.Tags);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => Hash(alternate);

    public TagKey Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => new(alternate.ToArray(), Hash(alternate));

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = new HashCode();
        foreach (var tag in tags)
        {
            hash.Add(tag.Key);
            hash.Add(tag.Value);
        }

        return hash.ToHashCode();
    }

    private static bool SameTags(ReadOnlySpan<KeyValuePair<string, object?>> a, ReadOnlySpan<KeyValuePair<string, object?>> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) || !Equals(a[i].Value, b[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}
