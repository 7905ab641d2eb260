namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// How a job id appears in the Hangfire dashboard: <c>j</c> and the UUID's 32 hex digits. Hangfire shortens any
/// id that parses as a GUID to its first 8 digits, which for UUIDv7 ids are the same for every job of the same
/// minute; with the prefix the lists show the whole id. Both forms are accepted back.
/// </summary>
public static class JobKey
{
    private const char Prefix = 'j';

    /// <summary>The dashboard's key of a job id.</summary>
    public static string Format(Guid id) => Prefix + id.ToString("N");

    /// <summary>Reads a dashboard key, or a plain UUID in any of the usual forms.</summary>
    public static bool TryParse(string? key, out Guid id)
    {
        id = Guid.Empty;
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        var text = key.Trim();
        if (text.Length == 33 && (text[0] == Prefix || text[0] == char.ToUpperInvariant(Prefix)))
        {
            text = text[1..];
        }

        return Guid.TryParse(text, out id);
    }
}
