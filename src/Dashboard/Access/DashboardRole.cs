using System.Security.Claims;

namespace JobPlatform.Dashboard.Access;

/// <summary>What a dashboard user may do.</summary>
public enum DashboardRole
{
    /// <summary>Sees every page; changes nothing (no buttons, and the endpoints refuse).</summary>
    Viewer,

    /// <summary>Also acts: requeue, delete, trigger, pause and resume, bulk actions.</summary>
    Operator,

    /// <summary>Also reads the audit log.</summary>
    Admin,
}

/// <summary>The role as it is written in configuration and in the sign-in cookie's role claim.</summary>
public static class DashboardRoles
{
    /// <summary>The names accepted in configuration, for messages.</summary>
    public const string Names = "viewer, operator or admin";

    /// <summary>The lower-case name of a role.</summary>
    public static string Name(this DashboardRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Reads a role name (case-insensitive).</summary>
    public static bool TryParse(string? name, out DashboardRole role)
    {
        foreach (var candidate in Enum.GetValues<DashboardRole>())
        {
            if (string.Equals(candidate.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>The signed-in user's role, or null when they have none.</summary>
    public static DashboardRole? Of(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindAll(ClaimTypes.Role).Select(c => TryParse(c.Value, out var r) ? r : (DashboardRole?)null).Max()
            : null;

    /// <summary>Whether the user may change anything.</summary>
    public static bool CanAct(ClaimsPrincipal user) => Of(user) >= DashboardRole.Operator;

    /// <summary>Whether the user may read the audit log.</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => Of(user) == DashboardRole.Admin;
}
