namespace JobPlatform.Jobs.Blobs;

/// <summary>What the store knows about one blob.</summary>
/// <param name="Key">The blob key.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified);
