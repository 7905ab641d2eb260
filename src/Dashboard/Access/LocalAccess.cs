using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace JobPlatform.Dashboard.Access;

/// <summary>
/// With no users and no single sign-on configured, the dashboard answers only requests from this machine, each
/// as a local admin (the developer's own setup); anything else is refused, saying what to configure. The start
/// is refused already when the dashboard listens beyond loopback (<see cref="ListenAddresses"/>); this covers a
/// proxy on the same machine forwarding outside requests.
/// </summary>
internal sealed class LocalAccess(RequestDelegate next, DashboardSettings settings)
{
    /// <summary>The name local requests act under, in the audit log.</summary>
    public const string LocalUser = "local";

    public Task Invoke(HttpContext context)
    {
        if (settings.HasSignIn)
        {
            return next(context);
        }

        if (!IsLocal(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(
                "This dashboard has no users configured, so it only answers requests from its own machine. " +
                "Add Dashboard:Users:<name>:PasswordHash (from `jobctl dashboard hash-password`) and Dashboard:Users:<name>:Role, " +
                "or configure Dashboard:OpenIdConnect.");
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, LocalUser), new Claim(ClaimTypes.Role, DashboardRole.Admin.Name())], "local", ClaimTypes.Name, ClaimTypes.Role));
        return next(context);
    }

    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) &&
        !context.Request.Headers.ContainsKey("X-Forwarded-For");
}
