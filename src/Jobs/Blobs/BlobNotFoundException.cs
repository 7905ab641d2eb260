namespace JobPlatform.Jobs.Blobs;

/// <summary>No blob has the requested key.</summary>
public sealed class BlobNotFoundException(string key)
    : Exception($"Blob '{key}' does not exist in the blob store (Blobs:Root).")
{
    /// <summary>The key that was not found.</summary>
    public string Key { get; } = key;
}
