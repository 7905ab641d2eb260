using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace JobPlatform.Dashboard.Tests.Browser;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium; Playwright never downloads one) for a test class. Each
/// test opens its own context, so cookies and sessions never leak from one test to another.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"{ExecutablePath} is missing; install Debian's chromium package (./test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // Locator assertions wait this long for the page to get there (the Backlog refreshes every second in
        // the tests that watch it; the engine needs a few to drain a queue).
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>A new browser context (its own cookies) on <paramref name="host"/>, with one page whose script
    /// errors, console errors, failed requests and error responses are collected.</summary>
    internal async Task<BrowserPage> OpenAsync(DashboardHost host)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page of one browser context, with what went wrong in it so far, and the confirm() dialogs it accepted.</summary>
internal sealed partial class BrowserPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => Add($"script error: {error}");
        // Neither Hangfire's pages nor the sign-in page name an icon, so Chromium asks for /favicon.ico, which is
        // not there: noise, not a failure of a page.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsFavicon(message.Location))
            {
                Add($"console error: {message.Text} ({message.Location})");
            }
        };
        // A request the browser gave up on because the page went away (a poll in flight when a page reloads
        // after an action) is not a failure of the dashboard; every other failed request is.
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure is not "net::ERR_ABORTED")
            {
                Add($"request failed: {request.Method} {request.Url}: {request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !IsFavicon(response.Url))
            {
                Add($"HTTP {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (_dialogs)
            {
                _dialogs.Add(dialog.Message);
            }

            await dialog.AcceptAsync();
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The messages of the confirm() dialogs accepted so far.</summary>
    public IReadOnlyList<string> Dialogs
    {
        get
        {
            lock (_dialogs)
            {
                return _dialogs.ToList();
            }
        }
    }

    /// <summary>What went wrong since the last <see cref="TakeErrors"/>, and forgets it.</summary>
    public IReadOnlyList<string> TakeErrors()
    {
        lock (_errors)
        {
            var errors = _errors.ToList();
            _errors.Clear();
            return errors;
        }
    }

    /// <summary>Fails with every script error, console error, failed request and error response seen so far.</summary>
    public void AssertNoErrors(string where = "the page")
    {
        var errors = TakeErrors();
        Assert.True(errors.Count == 0, $"Errors on {where}:\n  " + string.Join("\n  ", errors));
    }

    /// <summary>Signs in through the /login form (reached through <paramref name="start"/>, which must lead there) and
    /// waits for the dashboard page the form leads to.</summary>
    public async Task SignInAsync(string user, string start = "/login")
    {
        await Page.GotoAsync(start);
        await Assertions.Expect(Page).ToHaveURLAsync(LoginUrl());
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(DashboardHost.Password(user));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(DashboardUrl());
        await WaitForScriptAsync();
    }

    /// <summary>Opens a dashboard page and waits until JobPlatform's script has run on it (the navbar shows who is
    /// signed in).</summary>
    public async Task<IResponse> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        await WaitForScriptAsync();
        return response;
    }

    /// <summary>Waits for the navbar's user (added once /dashboard/session answers).</summary>
    public Task WaitForScriptAsync() => Assertions.Expect(Page.Locator(".jp-user")).ToBeVisibleAsync();

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private static bool IsFavicon(string url) => url.Contains("/favicon.ico", StringComparison.Ordinal);

    private void Add(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    [GeneratedRegex(@"^https?://[^/]+/login(\?|$)")]
    internal static partial Regex LoginUrl();

    [GeneratedRegex(@"^https?://[^/]+/dashboard(/|\?|$)")]
    private static partial Regex DashboardUrl();
}
