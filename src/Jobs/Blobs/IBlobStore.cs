namespace JobPlatform.Jobs.Blobs;

/// <summary>
/// Where job inputs and outputs live (images, report PDFs, attachments), addressed by keys such as
/// <c>in/cat.jpg</c>. Keys are relative, '/'-separated paths of letters, digits, '.', '-' and '_' that can never
/// name anything outside the store (see <see cref="BlobKey"/>).
/// </summary>
public interface IBlobStore
{
    /// <summary>Opens a blob for reading.</summary>
    /// <exception cref="BlobNotFoundException">No blob has that key.</exception>
    /// <exception cref="ArgumentException">The key is not a valid blob key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The blob's size and time of last change, or null when it does not exist.</summary>
    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes (or replaces) a blob. Readers never see a partial blob: the content appears at once or not at all.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob; false when there was none.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);
}
