using System.Net;
using JobPlatform.Core;
using JobPlatform.Dashboard.Access;
using JobPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JobPlatform.Dashboard.Tests;

/// <summary>Sign-in, roles, antiforgery and the headers every response carries, over real HTTP.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task An_unauthenticated_request_is_sent_to_the_login_page_and_the_root_leads_to_the_backlog()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = host.NewClient();

        var page = await http.GetAsync("/dashboard/jobs/failed");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=", page.Headers.Location!.PathAndQuery);

        var root = await http.GetAsync("/");
        Assert.Equal("/dashboard/backlog", root.Headers.Location!.OriginalString);

        var login = await http.GetStringAsync("/login");
        Assert.Contains("name=\"username\"", login);
        Assert.Contains("name=\"password\"", login);

        // The statistics polling of an expired session is answered 401, not a login page.
        var stats = new HttpRequestMessage(HttpMethod.Post, "/dashboard/stats");
        stats.Headers.Add("X-Requested-With", "XMLHttpRequest");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(stats)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_a_right_one_opens_the_dashboard()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = host.NewClient();

        var wrong = await DashboardHost.PostLoginAsync(http, "operator", "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("The user name or password is wrong.", await wrong.Content.ReadAsStringAsync());

        var right = await DashboardHost.PostLoginAsync(http, "operator", DashboardHost.Password("operator"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/dashboard/backlog", right.Headers.Location!.OriginalString);
        var backlog = await http.GetAsync("/dashboard/backlog");
        Assert.Equal(HttpStatusCode.OK, backlog.StatusCode);
        Assert.Contains("<h1 id=\"page-title\" class=\"page-header\">Backlog", await backlog.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Repeated_failures_lock_the_user_name_and_the_address_even_with_the_right_password_and_say_for_how_long()
    {
        await using var host = await DashboardHost.StartAsync(settings: new() { ["Dashboard:MaxLoginFailures"] = "3" });
        using var http = host.NewClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await DashboardHost.PostLoginAsync(http, "admin", "guess " + i)).StatusCode);
        }

        var locked = await DashboardHost.PostLoginAsync(http, "admin", DashboardHost.Password("admin"));

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("try again in 15 minutes", await locked.Content.ReadAsStringAsync());
        Assert.NotNull(locked.Headers.RetryAfter);
        // The client address is counted too: another name from it waits as well.
        var sameAddress = await DashboardHost.PostLoginAsync(http, "viewer", DashboardHost.Password("viewer"));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameAddress.StatusCode);
    }

    [Fact]
    public async Task A_viewer_sees_no_buttons_and_every_action_is_refused_for_them()
    {
        await using var host = await DashboardHost.StartAsync();
        var failed = await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        using var viewer = await host.SignInAsync("viewer");

        var page = await viewer.GetStringAsync("/dashboard/jobs/failed");
        Assert.Contains("fixture.kind", page);
        Assert.DoesNotContain("js-jobs-list-command", page);
        Assert.DoesNotContain("data-ajax", await viewer.GetStringAsync("/dashboard/backlog"));
        Assert.DoesNotContain("jp-bulk", await viewer.GetStringAsync("/dashboard/search?state=discarded"));

        var requeue = await DashboardHost.PostActionAsync(viewer, "/dashboard/jobs/failed/requeue", [new("jobs[]", Storage.JobKey.Format(failed))]);
        Assert.Equal(HttpStatusCode.Forbidden, requeue.StatusCode);
        Assert.Contains("viewer", await requeue.Content.ReadAsStringAsync());
        var pause = await DashboardHost.PostActionAsync(viewer, "/dashboard/backlog/pause/default");
        Assert.Equal(HttpStatusCode.Forbidden, pause.StatusCode);
        Assert.Equal(JobState.Discarded, (await host.Client.GetAsync(failed))!.State);
        Assert.False(await host.Database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM {schema}.queues WHERE paused_at IS NOT NULL)"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var host = await DashboardHost.StartAsync();
        var failed = await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Discarded });
        using var op = await host.SignInAsync("operator");

        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/jobs/failed/requeue")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", Storage.JobKey.Format(failed))]),
        };
        var response = await op.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(JobState.Discarded, (await host.Client.GetAsync(failed))!.State);
        var logout = await op.PostAsync("/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
    }

    [Fact]
    public async Task A_session_signed_in_on_one_replica_works_on_another()
    {
        await using var first = await DashboardHost.StartAsync();
        await using var second = await DashboardHost.StartAsync(first.Database);
        // Cookies of 127.0.0.1 go to every port, as a load balancer's one address would make them.
        var cookies = new CookieContainer();
        using var op = await first.SignInAsync("operator", cookies);
        var token = await DashboardHost.PageTokenAsync(op);
        using var other = second.NewClient(cookies);

        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/dashboard/backlog")).StatusCode);
        var pause = await DashboardHost.PostActionAsync(other, "/dashboard/backlog/pause/default", token: token);
        Assert.Equal(HttpStatusCode.NoContent, pause.StatusCode);
        // The key ring both replicas read is the database's, not a directory of this machine.
        Assert.True(await first.Database.ScalarAsync<long>("SELECT count(*) FROM {schema}.dashboard_keys") >= 1);
    }

    [Fact]
    public async Task The_audit_page_is_for_admins()
    {
        await using var host = await DashboardHost.StartAsync();
        using var op = await host.SignInAsync("operator");
        using var admin = await host.SignInAsync("admin");

        var refused = await op.GetAsync("/dashboard/audit");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("href=\"/dashboard/audit\"", await (await op.GetAsync("/dashboard/backlog")).Content.ReadAsStringAsync());

        var audit = await admin.GetStringAsync("/dashboard/audit");
        Assert.Contains("sign-in", audit);
        Assert.Contains("href=\"/dashboard/audit\"", await admin.GetStringAsync("/dashboard/backlog"));
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_the_footer_shows_no_connection_string()
    {
        await using var host = await DashboardHost.StartAsync();
        using var admin = await host.SignInAsync("admin");

        foreach (var path in new[] { "/login", "/dashboard/backlog", "/dashboard/" })
        {
            var response = await admin.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }

        var overview = await admin.GetStringAsync("/dashboard/");
        Assert.DoesNotContain("Host=", overview);
        Assert.DoesNotContain("127.0.0.1;", overview);
        Assert.DoesNotContain("Username=", overview);
        Assert.DoesNotContain("<script>", overview);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_signing_in()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = host.NewClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"database\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_users_only_local_requests_are_served_each_as_a_local_admin()
    {
        await using var host = await DashboardHost.StartAsync(users: false);
        using var http = host.NewClient();

        var page = await http.GetAsync("/dashboard/backlog");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("\"name\":\"local\"", await http.GetStringAsync("/dashboard/session"));

        var forwarded = new HttpRequestMessage(HttpMethod.Get, "/dashboard/backlog");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var refused = await http.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Dashboard:Users:<name>:PasswordHash", await refused.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://dashboard.internal:8080")]
    public void Without_users_the_dashboard_refuses_to_start_on_an_address_other_machines_reach(string url)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobPlatform"] = "Host=127.0.0.1;Database=unused",
            ["urls"] = url,
        });

        var e = Assert.Throws<InvalidOperationException>(() => builder.AddJobPlatformDashboard());

        Assert.Contains(url, e.Message);
        Assert.Contains("Dashboard:Users:<name>:PasswordHash", e.Message);
        Assert.Contains("jobctl dashboard hash-password", e.Message);
    }

    [Fact]
    public void Loopback_addresses_count_as_local()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5082;http://localhost:5083;http://[::1]:5084",
        }).Build();
        Assert.Empty(ListenAddresses.Exposed(config));
    }

    [Fact]
    public void Bad_users_fail_the_start_naming_each_key()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobPlatform"] = "Host=127.0.0.1;Database=unused",
            ["Dashboard:Users:ada:PasswordHash"] = "plain-text-password",
            ["Dashboard:Users:ada:Role"] = "superuser",
            ["Dashboard:BulkActionLimit"] = "0",
        });

        var e = Assert.Throws<OptionsValidationException>(() => builder.AddJobPlatformDashboard());

        Assert.Contains("Dashboard:Users:ada:PasswordHash is not a pbkdf2-sha512 hash; make one with: jobctl dashboard hash-password", e.Message);
        Assert.Contains("Dashboard:Users:ada:Role is 'superuser'; use viewer, operator or admin", e.Message);
        Assert.Contains("Dashboard:BulkActionLimit is 0", e.Message);
        Assert.DoesNotContain("plain-text-password", e.Message);
    }
}
