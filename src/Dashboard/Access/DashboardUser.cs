namespace JobPlatform.Dashboard.Access;

/// <summary>A user who signs in with a password (<c>Dashboard:Users:&lt;name&gt;</c>).</summary>
public sealed class DashboardUser
{
    /// <summary>The password's hash, from <c>jobctl dashboard hash-password</c>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string? Role { get; set; }
}
