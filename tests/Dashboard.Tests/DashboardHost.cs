using System.Net;
using System.Text.RegularExpressions;
using JobPlatform.Core;
using JobPlatform.Dashboard;
using JobPlatform.Hosting;
using JobPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Dashboard.Tests;

/// <summary>
/// The dashboard as its Program.cs composes it, on a real Kestrel at 127.0.0.1 and a test schema of its own, with
/// three users: viewer, operator and admin (the password is each one's name, twice). Browsers and HTTP clients
/// reach it at <see cref="BaseUrl"/>.
/// </summary>
internal sealed partial class DashboardHost : IAsyncDisposable
{
    /// <summary>Fewer iterations than production's, so each test's sign-ins cost milliseconds.</summary>
    private const int TestIterations = PasswordHash.MinIterations;

    private static readonly Lazy<Dictionary<string, string>> Hashes = new(() =>
        new[] { "viewer", "operator", "admin" }.ToDictionary(u => u, u => PasswordHash.Create(Password(u), TestIterations)));

    private readonly bool _ownsDatabase;

    private DashboardHost(WebApplication app, TestDatabase db, string baseUrl, bool ownsDatabase)
    {
        App = app;
        Database = db;
        BaseUrl = baseUrl;
        _ownsDatabase = ownsDatabase;
    }

    public WebApplication App { get; }

    public TestDatabase Database { get; }

    public string BaseUrl { get; }

    public JobClient Client => App.Services.GetRequiredService<JobClient>();

    public static string Password(string user) => user + "-" + user;

    /// <summary>Starts the dashboard on <paramref name="db"/> (a new migrated schema when null, dropped with the host).</summary>
    public static async Task<DashboardHost> StartAsync(TestDatabase? db = null, Dictionary<string, string?>? settings = null, bool users = true)
    {
        var owns = db is null;
        db ??= await TestDatabase.CreateAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobPlatform"] = db.ConnectionString,
            ["JobPlatform:Schema"] = db.Schema,
            ["JobPlatform:Logging:Format"] = "text",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["urls"] = "http://127.0.0.1:0",
            ["Dashboard:StatisticsCacheDuration"] = "00:00:00.050",
        };
        if (users)
        {
            foreach (var (user, hash) in Hashes.Value)
            {
                config[$"Dashboard:Users:{user}:PasswordHash"] = hash;
                config[$"Dashboard:Users:{user}:Role"] = user;
            }
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddJobPlatformServiceDefaults();
        builder.AddJobPlatformDashboard();
        var app = builder.Build();
        app.UseJobPlatformRequestLogging();
        app.UseJobPlatformDashboard();
        app.MapJobPlatformDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, db, address.TrimEnd('/'), owns);
    }

    /// <summary>An HTTP client with its own cookies (or <paramref name="cookies"/>) that does not follow redirects.</summary>
    public HttpClient NewClient(CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
    }

    /// <summary>Signs <paramref name="user"/> in through the login form; returns the client holding the session.</summary>
    public async Task<HttpClient> SignInAsync(string user, CookieContainer? cookies = null)
    {
        var http = NewClient(cookies);
        var response = await PostLoginAsync(http, user, Password(user));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {user} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return http;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient http, string user, string password)
    {
        var form = await http.GetStringAsync("/login");
        var token = FormToken().Match(form).Groups[1].Value;
        return await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["username"] = user,
            ["password"] = password,
            ["returnUrl"] = "/dashboard/backlog",
        }));
    }

    /// <summary>The antiforgery header a dashboard page carries for its scripts.</summary>
    public static async Task<string> PageTokenAsync(HttpClient http, string page = "/dashboard/backlog")
    {
        var html = await http.GetStringAsync(page);
        return WebUtility.HtmlDecode(MetaToken().Match(html).Groups[1].Value);
    }

    /// <summary>POSTs a dashboard action as its scripts do: form fields and the antiforgery header.</summary>
    public static async Task<HttpResponseMessage> PostActionAsync(HttpClient http, string path, IEnumerable<KeyValuePair<string, string>>? form = null, string? token = null)
    {
        token ??= await PageTokenAsync(http);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form ?? []) };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return await http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex MetaToken();
}
