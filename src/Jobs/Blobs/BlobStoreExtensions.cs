namespace JobPlatform.Jobs.Blobs;

/// <summary>Reads shared by the handlers that need a blob whole in memory (libvips buffers, email attachments).</summary>
public static class BlobStoreExtensions
{
    /// <summary>
    /// Reads the blob <paramref name="info"/> describes into one array of exactly <see cref="BlobInfo.Length"/> bytes
    /// (no growing buffer and copy: such blobs are large-object-heap sized). Never reads more than that, so a size
    /// limit checked on <paramref name="info"/> holds even if the blob is replaced meanwhile.
    /// </summary>
    /// <exception cref="IOException">The blob changed size between <see cref="IBlobStore.GetInfoAsync"/> and the read
    /// (writes rename a new file into place); reading it again on the next attempt gets the new one.</exception>
    /// <exception cref="BlobNotFoundException">It was deleted meanwhile.</exception>
    public static async Task<byte[]> ReadExactlyAsync(this IBlobStore blobs, BlobInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(info);
        if (info.Length > Array.MaxLength)
        {
            throw new IOException($"Blob '{info.Key}' is {info.Length:N0} bytes; at most {Array.MaxLength:N0} can be read into memory.");
        }

        var bytes = new byte[info.Length];
        await using var stream = await blobs.OpenReadAsync(info.Key, cancellationToken).ConfigureAwait(false);
        var total = 0;
        int read;
        while (total < bytes.Length && (read = await stream.ReadAsync(bytes.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        if (total != bytes.Length || await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new IOException($"Blob '{info.Key}' changed size while being read ({info.Length:N0} bytes expected); it is read again on the next attempt.");
        }

        return bytes;
    }
}
