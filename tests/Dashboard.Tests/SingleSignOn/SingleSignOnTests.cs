using System.Net;
using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.Core.Audit;
using JobPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JobPlatform.Dashboard.Tests.SingleSignOn;

/// <summary>
/// Single sign-on end to end: the dashboard's own OpenID Connect handler talks over HTTP to
/// <see cref="FakeIdentityProvider"/>, and the test follows every redirect by hand as a browser would, carrying
/// the dashboard's cookies (the provider needs none).
/// </summary>
public sealed class SingleSignOnTests
{
    private const string ButtonText = "Sign in with Example ID";

    [Fact]
    public async Task An_operator_signs_in_through_the_provider_lands_on_the_backlog_and_can_pause_a_queue()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp);
        await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "default" });

        var journey = await SignInAsync(host, idp, new SsoUser("u-olga", "Olga Operator", "staff", "operator"));

        Assert.Contains("<h1 id=\"page-title\" class=\"page-header\">Backlog", await journey.LandedAsync("/dashboard/backlog"));
        // Through the provider and back: /login/sso, /authorize, /signin-oidc, /dashboard/backlog.
        Assert.Equal(["/login/sso", "/authorize", "/signin-oidc", "/dashboard/backlog"], journey.Hops.Select(h => h.AbsolutePath));
        Assert.Equal(idp.Issuer, journey.Hops[1].GetLeftPart(UriPartial.Authority));
        Assert.Equal(1, idp.TokensIssued);
        var authorize = Assert.Single(idp.AuthorizationRequests);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        // The default response mode of the code flow, which the handler leaves out as the specification recommends.
        Assert.Equal("query", authorize.GetValueOrDefault("response_mode", "query"));
        Assert.False(string.IsNullOrEmpty(authorize["nonce"]));
        Assert.False(string.IsNullOrEmpty(authorize["state"]));

        using var session = JsonDocument.Parse(await journey.Dashboard.GetStringAsync("/dashboard/session"));
        Assert.Equal("operator", session.RootElement.GetProperty("role").GetString());
        Assert.Equal("Olga Operator", session.RootElement.GetProperty("name").GetString());
        Assert.True(session.RootElement.GetProperty("canAct").GetBoolean());

        var pause = await DashboardHost.PostActionAsync(journey.Dashboard, "/dashboard/backlog/pause/default");
        Assert.Equal(HttpStatusCode.NoContent, pause.StatusCode);
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT paused_at IS NOT NULL FROM {schema}.queues WHERE name = 'default'"));
        var records = await new AuditLog(host.Client).ListAsync(null, 10);
        Assert.Contains(records, r => r is { Action: "queue.pause", Target: "default", Actor: "Olga Operator", Role: "operator" });
        Assert.Contains(records, r => r is { Action: "sign-in", Actor: "Olga Operator", Role: "operator" });
        Assert.Empty(idp.Refusals);
    }

    [Fact]
    public async Task A_claim_value_configured_as_admin_makes_an_admin_who_reads_the_sign_in_in_the_audit_log()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp, new()
        {
            ["Dashboard:OpenIdConnect:AdminValues:0"] = "jobs-admins",
            ["Dashboard:OpenIdConnect:OperatorValues:0"] = "jobs-operators",
        });

        // "admin" is no longer an admin value once AdminValues is configured: only "jobs-admins" is.
        var notAdmin = await SignInAsync(host, idp, new SsoUser("u-mallory", "Mallory", "admin", "jobs-operators"));
        Assert.Equal(HttpStatusCode.Forbidden, (await notAdmin.Dashboard.GetAsync("/dashboard/audit")).StatusCode);

        var journey = await SignInAsync(host, idp, new SsoUser("u-ada", "Ada Admin", "jobs-admins"));

        await journey.LandedAsync("/dashboard/backlog");
        using var session = JsonDocument.Parse(await journey.Dashboard.GetStringAsync("/dashboard/session"));
        Assert.Equal("admin", session.RootElement.GetProperty("role").GetString());
        var audit = await journey.Dashboard.GetAsync("/dashboard/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        var html = await audit.Content.ReadAsStringAsync();
        Assert.Contains("<td>Ada Admin <span class=\"text-muted\">(admin)</span></td>", html);
        Assert.Contains("<td>Mallory <span class=\"text-muted\">(operator)</span></td>", html);
        Assert.Contains("<code>sign-in</code>", html);
        Assert.Empty(idp.Refusals);
    }

    [Fact]
    public async Task A_user_without_a_matching_role_is_shown_the_access_denied_page_and_opens_no_dashboard_page()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp);

        var journey = await SignInAsync(host, idp, new SsoUser("u-nora", "Nora Nobody", "staff", "accounting"));

        Assert.Equal(1, idp.TokensIssued);
        Assert.Empty(idp.Refusals);
        var denied = await journey.LandedAsync("/login");
        Assert.Contains("denied=1", journey.Uri.Query);
        Assert.Contains("Signed in as Nora Nobody, who has no dashboard role", denied);

        foreach (var page in new[] { "/dashboard/backlog", "/dashboard/jobs/failed", "/dashboard/session", "/dashboard/audit" })
        {
            var response = await journey.Dashboard.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login?denied=1", response.Headers.Location!.OriginalString);
        }

        var pause = await DashboardHost.PostActionAsync(journey.Dashboard, "/dashboard/backlog/pause/default", token: "none");
        Assert.Equal(HttpStatusCode.Forbidden, pause.StatusCode);
        var records = await new AuditLog(host.Client).ListAsync(null, 10);
        Assert.Contains(records, r => r is { Action: "sign-in", Actor: "Nora Nobody", Role: null });
        Assert.DoesNotContain(records, r => r.Action == "queue.pause");
    }

    [Fact]
    public async Task Only_the_configured_role_claim_gives_a_role_not_a_claim_that_happens_to_use_the_dotnet_role_type()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp, new()
        {
            ["Dashboard:OpenIdConnect:RoleClaim"] = "groups",
            ["Dashboard:OpenIdConnect:AdminValues:0"] = "jobs-admins",
        });

        // A provider (or a claims rule at one) may send a claim under a URI .NET uses for its own claim types. This
        // user's groups hold no dashboard value, so an "admin" under ClaimTypes.Role must not make them an admin.
        var journey = await SignInAsync(host, idp, new SsoUser("u-eve", "Eve")
        {
            OtherClaims = { ["groups"] = new[] { "staff" }, [System.Security.Claims.ClaimTypes.Role] = "admin" },
        });

        Assert.Contains("Signed in as Eve, who has no dashboard role", await journey.LandedAsync("/login"));
        var records = await new AuditLog(host.Client).ListAsync(null, 10);
        Assert.Contains(records, r => r is { Action: "sign-in", Actor: "Eve", Role: null });
        Assert.Equal(HttpStatusCode.Redirect, (await journey.Dashboard.GetAsync("/dashboard/audit")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_signs_in_and_cannot_act()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp);
        await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "default" });

        var journey = await SignInAsync(host, idp, new SsoUser("u-vic", "Vic Viewer", "viewer"));

        Assert.DoesNotContain("data-ajax", await journey.LandedAsync("/dashboard/backlog"));
        using var session = JsonDocument.Parse(await journey.Dashboard.GetStringAsync("/dashboard/session"));
        Assert.Equal("viewer", session.RootElement.GetProperty("role").GetString());
        Assert.False(session.RootElement.GetProperty("canAct").GetBoolean());

        var pause = await DashboardHost.PostActionAsync(journey.Dashboard, "/dashboard/backlog/pause/default");
        Assert.Equal(HttpStatusCode.Forbidden, pause.StatusCode);
        Assert.False(await host.Database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM {schema}.queues WHERE paused_at IS NOT NULL)"));
        Assert.Equal(HttpStatusCode.Forbidden, (await journey.Dashboard.GetAsync("/dashboard/audit")).StatusCode);
    }

    [Fact]
    public async Task The_login_page_offers_single_sign_on_and_no_password_form_when_there_are_no_password_users()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp);
        using var http = host.NewClient();

        // Single sign-on counts as sign-in: a local request is not served as the local admin.
        var page = await http.GetAsync("/dashboard/backlog");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=", page.Headers.Location!.PathAndQuery);

        var login = await http.GetAsync(page.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains($">{ButtonText}</a>", html);
        Assert.Contains("href=\"/login/sso?returnUrl=%2Fdashboard%2Fbacklog\"", html);
        Assert.DoesNotContain("name=\"password\"", html);
        Assert.DoesNotContain("name=\"username\"", html);
        Assert.DoesNotContain("<form", html);
    }

    [Fact]
    public async Task A_wrong_client_secret_signs_nobody_in()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var host = await StartDashboardAsync(idp, new() { ["Dashboard:OpenIdConnect:ClientSecret"] = "not-the-secret" });

        var journey = await SignInAsync(host, idp, new SsoUser("u-olga", "Olga Operator", "operator"));

        await journey.LandedAsync("/login");
        Assert.Equal(0, idp.TokensIssued);
        Assert.Contains(idp.Refusals, r => r.StartsWith("token: wrong client credentials", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await journey.Dashboard.GetAsync("/dashboard/backlog")).StatusCode);
        Assert.DoesNotContain(await new AuditLog(host.Client).ListAsync(null, 10), r => r.Action == "sign-in");
    }

    [Fact]
    public void An_http_authority_without_AllowHttpAuthority_and_a_missing_client_id_fail_the_start_naming_their_keys()
    {
        var e = Assert.Throws<OptionsValidationException>(() => AddDashboard(new()
        {
            ["Dashboard:OpenIdConnect:Authority"] = "http://idp.example.test/realms/ops",
        }));

        Assert.Contains("Dashboard:OpenIdConnect:Authority 'http://idp.example.test/realms/ops' must be an https:// URL", e.Message);
        Assert.Contains("Dashboard:OpenIdConnect:AllowHttpAuthority", e.Message);
        Assert.Contains("Dashboard:OpenIdConnect:ClientId is not set", e.Message);

        // The same authority with AllowHttpAuthority and a client id starts.
        AddDashboard(new()
        {
            ["Dashboard:OpenIdConnect:Authority"] = "http://idp.example.test/realms/ops",
            ["Dashboard:OpenIdConnect:AllowHttpAuthority"] = "true",
            ["Dashboard:OpenIdConnect:ClientId"] = "dashboard",
        });
        var https = Assert.Throws<OptionsValidationException>(() => AddDashboard(new()
        {
            ["Dashboard:OpenIdConnect:Authority"] = "https://idp.example.test/realms/ops",
        }));
        Assert.Contains("Dashboard:OpenIdConnect:ClientId is not set", https.Message);
        Assert.DoesNotContain("Dashboard:OpenIdConnect:Authority", https.Message);
    }

    private static void AddDashboard(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:JobPlatform"] = "Host=127.0.0.1;Database=unused",
            ["urls"] = "http://127.0.0.1:0",
        });
        builder.AddJobPlatformDashboard();
    }

    /// <summary>The dashboard without password users, single sign-on through <paramref name="idp"/>, whose
    /// redirect URI is then registered at the provider.</summary>
    private static async Task<DashboardHost> StartDashboardAsync(FakeIdentityProvider idp, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:OpenIdConnect:Authority"] = idp.Issuer,
            ["Dashboard:OpenIdConnect:AllowHttpAuthority"] = "true",
            ["Dashboard:OpenIdConnect:ClientId"] = FakeIdentityProvider.ClientId,
            ["Dashboard:OpenIdConnect:ClientSecret"] = FakeIdentityProvider.ClientSecret,
            ["Dashboard:OpenIdConnect:ButtonText"] = ButtonText,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var host = await DashboardHost.StartAsync(settings: settings, users: false);
        idp.RegisteredRedirectUri = host.BaseUrl + "/signin-oidc";
        return host;
    }

    /// <summary>
    /// Signs <paramref name="user"/> in as a browser would: GET /login/sso, then every redirect by hand, the
    /// dashboard's requests with its cookies (kept as a browser keeps a loopback site's, see
    /// <see cref="LoopbackBrowser"/>) and the provider's without. Ends at the first answer that is not a redirect.
    /// </summary>
    private static async Task<Journey> SignInAsync(DashboardHost host, FakeIdentityProvider idp, SsoUser user, string returnUrl = "/dashboard/backlog")
    {
        idp.NextUser = user;
        var dashboard = LoopbackBrowser.NewClient(host.BaseUrl);
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var dashboardAuthority = new Uri(host.BaseUrl).GetLeftPart(UriPartial.Authority);
        var uri = new Uri(new Uri(host.BaseUrl), "/login/sso?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var hops = new List<Uri> { uri };
        var response = await dashboard.GetAsync(uri);
        while ((int)response.StatusCode is >= 300 and < 400)
        {
            Assert.True(hops.Count < 10, "Redirected in circles: " + string.Join(" -> ", hops));
            uri = new Uri(uri, response.Headers.Location!);
            hops.Add(uri);
            var authority = uri.GetLeftPart(UriPartial.Authority);
            var client = authority == dashboardAuthority ? dashboard
                : authority == idp.Issuer ? provider
                : throw new InvalidOperationException($"Redirected away to {uri} (after {string.Join(" -> ", hops)})");
            response = await client.GetAsync(uri);
        }

        return new Journey(dashboard, response, uri, hops, idp.Refusals.ToList());
    }

    /// <summary>Where a sign-in ended: the dashboard client with its cookies, the last answer and its address, and
    /// every address on the way.</summary>
    private sealed record Journey(HttpClient Dashboard, HttpResponseMessage Response, Uri Uri, List<Uri> Hops, List<string> Refusals)
    {
        /// <summary>Asserts the sign-in ended with a page at <paramref name="path"/>, telling the way there if not.</summary>
        public async Task<string> LandedAsync(string path)
        {
            var body = await Response.Content.ReadAsStringAsync();
            Assert.True(Response.StatusCode == HttpStatusCode.OK && Uri.AbsolutePath == path,
                $"Expected a page at {path}; ended with {(int)Response.StatusCode} at {Uri} by {string.Join(" -> ", Hops.Select(h => h.AbsolutePath))}" +
                $"{(Refusals.Count > 0 ? "; the provider refused: " + string.Join("; ", Refusals) : "")}; body: {body[..Math.Min(body.Length, 500)]}");
            return body;
        }
    }
}
