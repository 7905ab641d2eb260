using JobPlatform.Core;
using JobPlatform.Dashboard.Access;
using JobPlatform.Hosting;

namespace JobPlatform.Dashboard;

/// <summary>The dashboard's settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>Where the dashboard is served; <c>/</c> leads there.</summary>
    public const string PathBase = "/dashboard";

    /// <summary>The title in the navigation bar and the browser tab; default "JobPlatform".</summary>
    public string Title { get; set; } = "JobPlatform";

    /// <summary>How often an open page polls the counters (Hangfire's statistics polling); default 2 s.</summary>
    public TimeSpan StatsPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one reading of the counters serves every page and tab of this process; default 1 s.</summary>
    public TimeSpan StatisticsCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the Backlog page refreshes itself; default 5 s.</summary>
    public TimeSpan BacklogRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most jobs one bulk action over a search changes; default 10,000 (the most one statement takes).</summary>
    public int BulkActionLimit { get; set; } = JobClient.MaxBulkIds;

    /// <summary>Jobs per search page; default 50.</summary>
    public int SearchPageSize { get; set; } = 50;

    /// <summary>How long a sign-in lasts without use; default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins allowed per user name and per client address within <see cref="LoginFailureWindow"/>; default 5.</summary>
    public int MaxLoginFailures { get; set; } = 5;

    /// <summary>The window failed sign-ins are counted in, and how long a locked name or address waits; default 15 min.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Read the client address and scheme from X-Forwarded-For and X-Forwarded-Proto (behind a reverse
    /// proxy that sets them); default false.</summary>
    public bool UseForwardedHeaders { get; set; }

    /// <summary>Users who sign in with a password, by name.</summary>
    public Dictionary<string, DashboardUser> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Optional single sign-on.</summary>
    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    /// <summary>Whether anybody can sign in (password users or single sign-on); without either, only local requests are served.</summary>
    public bool HasSignIn => Users.Count > 0 || OpenIdConnect.Enabled;

    /// <summary>Every setting's problems, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{SectionName}:{name} is {value}; it must be positive, e.g. 00:00:05.");
            }
        }

        Positive(nameof(StatsPollingInterval), StatsPollingInterval);
        Positive(nameof(StatisticsCacheDuration), StatisticsCacheDuration);
        Positive(nameof(BacklogRefreshInterval), BacklogRefreshInterval);
        Positive(nameof(SessionLifetime), SessionLifetime);
        Positive(nameof(LoginFailureWindow), LoginFailureWindow);
        if (BulkActionLimit is < 1 or > JobClient.MaxBulkIds)
        {
            errors.Add($"{SectionName}:{nameof(BulkActionLimit)} is {BulkActionLimit}; use 1 to {JobClient.MaxBulkIds}.");
        }

        if (SearchPageSize is < 1 or > 1000)
        {
            errors.Add($"{SectionName}:{nameof(SearchPageSize)} is {SearchPageSize}; use 1 to 1000.");
        }

        if (MaxLoginFailures < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxLoginFailures)} is {MaxLoginFailures}; use 1 or more.");
        }

        foreach (var (name, user) in Users)
        {
            var key = $"{SectionName}:Users:{name}";
            if (name.Length is 0 or > 64 || name.Any(char.IsWhiteSpace))
            {
                errors.Add($"{key}: a user name must be 1-64 characters without spaces.");
            }

            if (PasswordHash.Problem(user.PasswordHash) is { } problem)
            {
                errors.Add($"{key}:PasswordHash {problem}.");
            }

            if (!DashboardRoles.TryParse(user.Role, out _))
            {
                errors.Add($"{key}:Role is '{user.Role}'; use {DashboardRoles.Names}.");
            }
        }

        var oidc = OpenIdConnect;
        if (oidc.Enabled)
        {
            var key = $"{SectionName}:OpenIdConnect";
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) ||
                !(authority.Scheme == Uri.UriSchemeHttps || (oidc.AllowHttpAuthority && authority.Scheme == Uri.UriSchemeHttp)))
            {
                errors.Add($"{key}:Authority '{oidc.Authority}' must be an https:// URL (or set {key}:AllowHttpAuthority for a local provider).");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                errors.Add($"{key}:ClientId is not set; register the dashboard with the identity provider and set its client id.");
            }

            if (string.IsNullOrWhiteSpace(oidc.RoleClaim))
            {
                errors.Add($"{key}:RoleClaim is empty; name the claim that carries the user's roles or groups (default 'roles').");
            }
        }

        return errors;
    }
}
