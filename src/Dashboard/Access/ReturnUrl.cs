namespace JobPlatform.Dashboard.Access;

/// <summary>Where to go after signing in: only a path of this site, so the sign-in page cannot be used to send a
/// user elsewhere.</summary>
internal static class ReturnUrl
{
    public const string Default = DashboardSettings.PathBase + "/backlog";

    public static string Safe(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && !url.Contains('\n') && !url.Contains('\r')
            ? url
            : Default;
}
