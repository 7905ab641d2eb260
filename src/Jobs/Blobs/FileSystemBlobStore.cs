namespace JobPlatform.Jobs.Blobs;

/// <summary>
/// Blobs as files under one root directory. Writes go to a temporary file in the target directory and are
/// renamed into place, so readers never see half a file. Besides the key rules of <see cref="BlobKey"/>, the
/// resolved path is checked to stay under the root, and symbolic links are not followed out of it.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private readonly string _root;

    /// <summary>Creates a store rooted at <paramref name="root"/> (made absolute and created when missing).</summary>
    public FileSystemBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(_root);
    }

    /// <summary>The absolute root directory, ending in a separator.</summary>
    public string Root => _root;

    /// <summary>The absolute file path of a key (validated); for tools that need a path, such as libvips or Chromium.</summary>
    public string GetPath(string key)
    {
        BlobKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob key '{key}' resolves outside the blob store root.", nameof(key));
        }

        EnsureNoLinkOutside(path);
        return path;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = GetPath(key);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(key);
        }
    }

    /// <inheritdoc />
    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(GetPath(key));
        return Task.FromResult(file.Exists ? new BlobInfo(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    /// <inheritdoc />
    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = GetPath(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = GetPath(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    /// <summary>A symbolic link inside the root (made by someone with shell access) must not lead a key outside it.</summary>
    private void EnsureNoLinkOutside(string path)
    {
        for (var current = path; current.Length > _root.Length; current = Path.GetDirectoryName(current)!)
        {
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (target is not null && !(target + Path.DirectorySeparatorChar).StartsWith(_root, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Blob key resolves through a symbolic link that leads outside the blob store root.", nameof(path));
                }
            }
        }
    }
}
