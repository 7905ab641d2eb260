namespace JobPlatform.Dashboard.Access;

/// <summary>Optional single sign-on (<c>Dashboard:OpenIdConnect</c>): on when <see cref="Authority"/> is set. The
/// user's dashboard role comes from a claim of the identity provider's token.</summary>
public sealed class OpenIdConnectSettings
{
    /// <summary>The identity provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c>).</summary>
    public string? Authority { get; set; }

    /// <summary>This dashboard's client id at the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (authorization code flow).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim holding the user's groups or roles; default <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim values that make a viewer; default <c>viewer</c>.</summary>
    public List<string> ViewerValues { get; set; } = [];

    /// <summary>Claim values that make an operator; default <c>operator</c>.</summary>
    public List<string> OperatorValues { get; set; } = [];

    /// <summary>Claim values that make an admin; default <c>admin</c>.</summary>
    public List<string> AdminValues { get; set; } = [];

    /// <summary>The login page's button text; default "Sign in with single sign-on".</summary>
    public string ButtonText { get; set; } = "Sign in with single sign-on";

    /// <summary>Allow an <c>http://</c> authority (a test or local provider); default false.</summary>
    public bool AllowHttpAuthority { get; set; }

    /// <summary>Whether single sign-on is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The role the claim values give, the highest when several match; null when none does.</summary>
    public DashboardRole? RoleFor(IEnumerable<string> values)
    {
        var set = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Any(List<string> configured, DashboardRole role) =>
            (configured.Count == 0 ? [role.Name()] : configured).Any(set.Contains);
        return Any(AdminValues, DashboardRole.Admin) ? DashboardRole.Admin
            : Any(OperatorValues, DashboardRole.Operator) ? DashboardRole.Operator
            : Any(ViewerValues, DashboardRole.Viewer) ? DashboardRole.Viewer
            : null;
    }
}
