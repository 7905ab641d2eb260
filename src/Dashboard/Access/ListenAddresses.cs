using System.Net;
using Microsoft.Extensions.Configuration;

namespace JobPlatform.Dashboard.Access;

/// <summary>Refuses to start a dashboard that nobody can sign in to on an address other machines can reach.</summary>
internal static class ListenAddresses
{
    /// <summary>The configured addresses (<c>urls</c>, i.e. ASPNETCORE_URLS or --urls, and Kestrel endpoints) that
    /// are not loopback. With none configured, ASP.NET Core listens on localhost.</summary>
    public static IReadOnlyList<string> Exposed(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        var http = configuration["HTTP_PORTS"] ?? configuration["ASPNETCORE_HTTP_PORTS"];
        var https = configuration["HTTPS_PORTS"] ?? configuration["ASPNETCORE_HTTPS_PORTS"];
        var ports = new[] { http, https }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => $"port {p} on every address");
        return urls.Where(u => !IsLoopback(u)).Concat(ports).ToList();
    }

    public static void RefuseIfUnprotected(IConfiguration configuration, DashboardSettings settings)
    {
        if (settings.HasSignIn)
        {
            return;
        }

        var exposed = Exposed(configuration);
        if (exposed.Count > 0)
        {
            throw new InvalidOperationException(
                $"The dashboard has no users and would listen on {string.Join(", ", exposed)}, which other machines can reach. " +
                "Add a user (Dashboard:Users:<name>:PasswordHash from `jobctl dashboard hash-password`, and Dashboard:Users:<name>:Role: " +
                $"{DashboardRoles.Names}), configure Dashboard:OpenIdConnect, or listen on 127.0.0.1 only.");
        }
    }

    private static bool IsLoopback(string url)
    {
        var host = url;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        host = host.Split('/')[0];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
