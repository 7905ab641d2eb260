namespace JobPlatform.Jobs.Blobs;

/// <summary>Validates blob keys, so a key from job args can never reach outside the store's root.</summary>
public static class BlobKey
{
    /// <summary>Longest key accepted, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Returns <paramref name="key"/> when it is a valid key, else throws naming the problem.</summary>
    /// <exception cref="ArgumentException">Empty, too long, absolute, with an empty, '.' or '..' segment, or with a
    /// character other than a-z, A-Z, 0-9, '.', '-', '_' and the '/' separator.</exception>
    public static string Validate(string? key, string? argName = null)
    {
        var what = argName is null ? "Blob key" : $"{argName}";
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"{what} is empty; give a relative path such as 'in/cat.jpg'.", argName ?? nameof(key));
        }

        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"{what} is {key.Length} characters; the limit is {MaxLength}.", argName ?? nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException(
                    $"{what} '{key}' has an empty, '.' or '..' segment; keys are relative paths inside the blob store such as 'in/cat.jpg'.",
                    argName ?? nameof(key));
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                {
                    throw new ArgumentException(
                        $"{what} '{key}' contains '{c}'; keys may hold only a-z, A-Z, 0-9, '.', '-', '_' and '/' between segments.",
                        argName ?? nameof(key));
                }
            }
        }

        return key;
    }
}
