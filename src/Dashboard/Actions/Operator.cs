using System.Security.Claims;
using JobPlatform.Dashboard.Access;
using Microsoft.AspNetCore.Http;

namespace JobPlatform.Dashboard.Actions;

/// <summary>Who asks for an action, for the audit log: the signed-in user, their role and the client's address.</summary>
/// <param name="Name">The user name (or the identity provider's name for the user).</param>
/// <param name="Role">Their dashboard role, if any.</param>
/// <param name="Source">The client address the request came from.</param>
public sealed record Operator(string Name, DashboardRole? Role, string Source)
{
    /// <summary>The operator behind a request.</summary>
    public static Operator Of(HttpContext context) => new(
        NameOf(context.User),
        DashboardRoles.Of(context.User),
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Whether they may act.</summary>
    public bool CanAct => Role >= DashboardRole.Operator;

    private static string NameOf(ClaimsPrincipal user) =>
        user.Identity?.Name is { Length: > 0 } name ? name : user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
}
