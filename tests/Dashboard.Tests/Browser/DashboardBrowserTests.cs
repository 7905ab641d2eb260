using System.Text.RegularExpressions;
using JobPlatform.Core;
using JobPlatform.Dashboard.Storage;
using JobPlatform.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobPlatform.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (headless Chromium) over a real Kestrel and PostgreSQL: what operators do with it,
/// click by click, with its scripts running. Every test fails on a script error, a console error, a failed request
/// or an error response in its pages.
/// </summary>
public sealed partial class DashboardBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The Backlog refreshes itself this often in the tests that watch it.</summary>
    private static readonly Dictionary<string, string?> FastBacklog = new() { ["Dashboard:BacklogRefreshInterval"] = "00:00:01" };

    [Fact]
    public async Task An_operator_signs_in_through_the_form_lands_on_the_backlog_sees_who_is_signed_in_and_can_sign_out()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;

        // The root leads to the Backlog, which sends a stranger to the sign-in form.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(BrowserPage.LoginUrl());
        await page.GetByLabel("User name").FillAsync("operator");
        await page.GetByLabel("Password").FillAsync(DashboardHost.Password("operator"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/dashboard/backlog");
        await Expect(page.Locator("h1#page-title")).ToContainTextAsync("Backlog");
        await Expect(page.Locator(".navbar .jp-user .navbar-text")).ToHaveTextAsync("operator (operator)");

        await page.Locator(".jp-user").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BrowserPage.LoginUrl());
        await page.GotoAsync("/dashboard/backlog");
        await Expect(page).ToHaveURLAsync(BrowserPage.LoginUrl());
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_backlog_table_refreshes_itself_as_a_queue_fills_and_drains_without_a_reload()
    {
        await using var host = await DashboardHost.StartAsync(settings: FastBacklog);
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await browser.SignInAsync("operator");
        await Expect(page.Locator("#jp-backlog")).ToContainTextAsync("No queue has jobs");
        // Gone if the page reloads: what follows is the table refreshing itself.
        await page.EvaluateAsync("() => { window.jpNotReloaded = true; }");

        await host.Client.EnqueueManyAsync(Enumerable.Range(1, 300).Select(n => new DrainArgs(n)), new EnqueueOptions { Queue = "drain" });
        var row = page.Locator("tr[data-queue=drain]");
        await Expect(row.Locator(".jp-available")).ToHaveTextAsync("300");
        await Expect(row).ToContainTextAsync("no workers");
        await Expect(row.Locator(".jp-workers")).ToHaveTextAsync("0");

        var handlers = new JobHandlerRegistry().Register<DrainArgs>(async (_, _, ct) => await Task.Delay(10, ct));
        var engine = new JobEngine(host.Database.DataSource, host.Database.EngineOptions(concurrency: 10, queue: "drain"), handlers);
        await engine.StartAsync();
        try
        {
            await Expect(row.Locator(".jp-available")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
            await Expect(row.Locator(".jp-workers")).ToHaveTextAsync("1");
            await Expect(row.Locator(".jp-oldest")).ToHaveTextAsync("–");
        }
        finally
        {
            await engine.DisposeAsync();
        }

        Assert.Equal(300, await host.Database.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE kind = 'browser.drain' AND state = 'completed'"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.jpNotReloaded === true"), "The Backlog page reloaded instead of refreshing its table.");
        await Expect(page.Locator(".jp-refreshed")).ToHaveTextAsync("updated just now");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_failed_job_opened_from_the_failed_page_shows_its_exception_and_once_requeued_succeeds()
    {
        await using var host = await DashboardHost.StartAsync();
        var handlers = new JobHandlerRegistry().Register<FlakyArgs>((_, context, _) =>
            context.Attempt == 1 ? throw new InvalidOperationException(FlakyArgs.Message) : Task.CompletedTask);
        await using var engine = new JobEngine(host.Database.DataSource, host.Database.EngineOptions(), handlers);
        await engine.StartAsync();
        var id = (await host.Client.EnqueueAsync(new FlakyArgs("ada@example.com"), new EnqueueOptions { MaxAttempts = 1 })).Id;
        await WaitForStateAsync(host, id, JobState.Discarded);
        var key = JobKey.Format(id);
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await browser.SignInAsync("operator");

        await browser.GotoAsync("/dashboard/jobs/failed");
        await page.Locator("a.job-method", new() { HasText = FlakyArgs.Kind }).ClickAsync();
        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/dashboard/jobs/details/" + key);
        await browser.WaitForScriptAsync();
        var failure = page.Locator(".state-card", new() { HasText = FlakyArgs.Message });
        await Expect(failure).ToContainTextAsync("System.InvalidOperationException");
        await Expect(failure).ToContainTextAsync("Failed its only attempt");

        await page.Locator($"button[data-ajax$='/jobs/actions/requeue/{key}']").ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToHaveTextAsync(new Regex("Requeued 1 job\\."));
        await WaitForStateAsync(host, id, JobState.Completed);
        await page.ReloadAsync();
        await browser.WaitForScriptAsync();
        await Expect(page.Locator(".state-card").First.Locator(".state-card-title")).ToContainTextAsync("Succeeded");
        // The failed attempt stays in the history.
        await Expect(page.Locator(".state-card", new() { HasText = FlakyArgs.Message })).ToHaveCountAsync(1);

        await browser.GotoAsync("/dashboard/jobs/succeeded");
        await Expect(page.Locator($"a[href$='/jobs/details/{key}']").First).ToBeVisibleAsync();
        await browser.GotoAsync("/dashboard/jobs/failed");
        await Expect(page.Locator($"a[href$='/jobs/details/{key}']")).ToHaveCountAsync(0);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Pause_and_resume_on_the_backlog_ask_first_change_the_queue_and_say_what_happened()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Available, Queue = "mail" });
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await browser.SignInAsync("operator");
        var row = page.Locator("tr[data-queue=mail]");
        await Expect(row.Locator(".jp-resume")).ToHaveCountAsync(0);

        await row.Locator(".jp-pause").ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToContainTextAsync("Paused queue mail: workers take no new jobs from it; running ones finish.");
        await Expect(row.Locator(".jp-badge-paused")).ToHaveTextAsync("paused");
        await Expect(row.Locator(".jp-resume")).ToBeVisibleAsync();
        await Expect(row.Locator(".jp-pause")).ToHaveCountAsync(0);
        Assert.Equal("Pause queue mail? Workers stop taking its jobs; running ones finish.", Assert.Single(browser.Dialogs));
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT paused_at IS NOT NULL FROM {schema}.queues WHERE name = 'mail'"));

        await row.Locator(".jp-resume").ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToContainTextAsync("Resumed queue mail: its workers were woken.");
        await Expect(row.Locator(".jp-pause")).ToBeVisibleAsync();
        await Expect(row.Locator(".jp-badge-paused")).ToHaveCountAsync(0);
        Assert.Equal("Resume queue mail? Its workers start taking jobs again.", browser.Dialogs[^1]);
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT paused_at IS NULL FROM {schema}.queues WHERE name = 'mail'"));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_search_by_a_json_fragment_of_the_args_lists_only_the_matching_jobs()
    {
        await using var host = await DashboardHost.StartAsync();
        var db = host.Database;
        var ada1 = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Kind = "email.send", Args = """{"to":"ada@example.com","template":"welcome"}""" });
        var ada2 = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "email.send", Args = """{"to":"ada@example.com","template":"invoice"}""" });
        var bob = await db.InsertJobAsync(new FixtureJob { State = JobState.Completed, Kind = "email.send", Args = """{"to":"bob@example.com","template":"welcome"}""" });
        var thumb = await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Kind = "image.thumbnail", Args = """{"path":"ada@example.com.png"}""" });
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await browser.SignInAsync("operator");
        await browser.GotoAsync("/dashboard/search");
        await Expect(page.Locator(".jp-search-results tbody tr")).ToHaveCountAsync(4);

        await page.GetByLabel("Args contain").FillAsync("""{"to":"ada@example.com"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await browser.WaitForScriptAsync();

        var rows = page.Locator(".jp-search-results tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = JobKey.Format(ada1) })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = JobKey.Format(ada2) })).ToHaveCountAsync(1);
        await Expect(page.Locator(".jp-search-results")).Not.ToContainTextAsync(JobKey.Format(bob));
        await Expect(page.Locator(".jp-search-results")).Not.ToContainTextAsync(JobKey.Format(thumb));
        await Expect(page.GetByLabel("Args contain")).ToHaveValueAsync("""{"to":"ada@example.com"}""");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_viewer_sees_no_button_that_changes_anything_and_no_audit_where_an_operator_sees_them()
    {
        await using var host = await DashboardHost.StartAsync();
        var db = host.Database;
        var failed = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "email.send", Queue = "mail" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Available, Kind = "email.send", Queue = "mail" });
        await new RecurringSchedules(host.Client).AddOrUpdateAsync(new RecurringSchedule("nightly", "0 30 2 * * ?", "report.generate"));
        var pages = new (string Path, string Shows)[]
        {
            ("/dashboard/jobs/failed", "email.send"),
            ("/dashboard/backlog", "mail"),
            ("/dashboard/search?kind=email.send", "email.send"),
            ("/dashboard/recurring", "nightly"),
            ("/dashboard/jobs/details/" + JobKey.Format(failed), "email.send"),
        };

        foreach (var (user, canAct) in new[] { ("operator", true), ("viewer", false) })
        {
            await using var browser = await chromium.OpenAsync(host);
            var page = browser.Page;
            await browser.SignInAsync(user);
            await Expect(page.Locator(".jp-user .navbar-text")).ToHaveTextAsync($"{user} ({user})");
            foreach (var (path, shows) in pages)
            {
                await browser.GotoAsync(path);
                await Expect(page.Locator(".js-page-container")).ToContainTextAsync(shows);
                var actions = page.Locator("button, a.btn, input[type=submit]").Filter(new() { HasTextRegex = ActionVerbs() });
                var changing = page.Locator("[data-ajax], [data-url], .jp-bulk, .js-jobs-list-command, .jp-pause, .jp-resume");
                var checkboxes = page.Locator("input[type=checkbox]");
                if (canAct)
                {
                    // The control: the same pages offer an operator their buttons (so the viewer's zero counts mean something).
                    Assert.True(await actions.CountAsync() > 0, $"{user} sees no action button on {path}");
                    Assert.True(await changing.CountAsync() > 0, $"{user} sees no action on {path}");
                    if (!path.Contains("/backlog", StringComparison.Ordinal) && !path.Contains("/details/", StringComparison.Ordinal))
                    {
                        Assert.True(await checkboxes.CountAsync() > 0, $"{user} sees no row checkbox on {path}");
                    }
                }
                else
                {
                    await Expect(actions).ToHaveCountAsync(0);
                    await Expect(changing).ToHaveCountAsync(0);
                    await Expect(checkboxes).ToHaveCountAsync(0);
                }
            }

            // Audit is for admins: neither an operator nor a viewer has it in the menu.
            await Expect(page.Locator(".navbar a", new() { HasText = "Search" })).ToHaveCountAsync(1);
            await Expect(page.Locator(".navbar a", new() { HasText = "Audit" })).ToHaveCountAsync(0);
            browser.AssertNoErrors(user + "'s pages");
        }

        // The control for the menu: an admin's has Audit.
        await using var admin = await chromium.OpenAsync(host);
        await admin.SignInAsync("admin");
        await Expect(admin.Page.Locator(".navbar a", new() { HasText = "Audit" })).ToHaveCountAsync(1);
        admin.AssertNoErrors("the admin's backlog");
    }

    [Fact]
    public async Task A_refused_action_says_why_and_gives_its_button_back_and_schedules_pause_from_the_recurring_page()
    {
        await using var host = await DashboardHost.StartAsync();
        var running = await host.Database.InsertJobAsync(new FixtureJob { State = JobState.Running, Kind = "report.generate" });
        var schedules = new RecurringSchedules(host.Client);
        await schedules.AddOrUpdateAsync(new RecurringSchedule("nightly", "0 30 2 * * ?", "report.generate"));
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await browser.SignInAsync("operator");

        // Requeue of a running job: the dashboard answers 422 with the reason, which the page shows, and the button
        // stops spinning.
        await browser.GotoAsync("/dashboard/jobs/processing");
        await page.Locator("input.js-jobs-list-checkbox").First.CheckAsync();
        var requeue = page.Locator(".js-jobs-list-command", new() { HasText = "Requeue" });
        await requeue.ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToContainTextAsync("a running job cannot be requeued; Delete cancels it");
        await Expect(page.Locator("#jp-notice")).ToHaveClassAsync(new Regex("alert-danger"));
        await Expect(requeue).ToBeEnabledAsync();
        await Expect(requeue).ToContainTextAsync("Requeue");
        Assert.Equal(JobState.Running, (await host.Client.GetAsync(running))!.State);
        var errors = browser.TakeErrors();
        Assert.All(errors, e => Assert.Contains("422", e));
        Assert.NotEmpty(errors);

        // Hangfire has no pause for schedules; JobPlatform's script adds Pause and Resume to the Recurring page.
        await browser.GotoAsync("/dashboard/recurring");
        await page.Locator("input.js-jobs-list-checkbox").First.CheckAsync();
        await page.Locator(".jp-schedule-pause").ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToContainTextAsync("Paused nightly");
        await Expect(page.Locator(".js-page-container")).ToContainTextAsync("Disabled");
        Assert.True((await schedules.GetAsync("nightly"))!.Paused);
        await page.Locator("input.js-jobs-list-checkbox").First.CheckAsync();
        await page.Locator(".jp-schedule-resume").ClickAsync();
        await Expect(page.Locator("#jp-notice")).ToContainTextAsync("Resumed nightly");
        Assert.False((await schedules.GetAsync("nightly"))!.Paused);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Every_page_renders_with_realistic_data_without_a_script_error_or_an_unknown_method_and_is_photographed()
    {
        await using var host = await DashboardHost.StartAsync(settings: new() { ["Dashboard:StatsPollingInterval"] = "00:00:00.300" });
        var db = host.Database;
        var client = host.Client;

        // An engine on "reports": jobs that succeed, fail for good with a real stack trace, and one that runs on.
        var handlers = new JobHandlerRegistry()
            .Register<ReportArgs>(async (args, _, ct) =>
            {
                if (args.Fail)
                {
                    throw new TimeoutException($"The warehouse did not answer for report {args.Report} within 30 s");
                }

                await Task.Delay(args.Report == "forever" ? Timeout.Infinite : 5, ct);
            });
        var options = db.EngineOptions(concurrency: 4, queue: "reports");
        // At the end the job that runs on is stopped at once rather than waited for.
        options.ShutdownTimeout = TimeSpan.Zero;
        await using var engine = new JobEngine(db.DataSource, options, handlers);
        await engine.StartAsync();
        var reports = new EnqueueOptions { Queue = "reports", MaxAttempts = 1, Tags = ["finance"], TenantId = "acme" };
        await client.EnqueueManyAsync(Enumerable.Range(1, 40).Select(n => new ReportArgs("daily-" + n, Fail: n % 10 == 0)), reports);
        var stuck = (await client.EnqueueAsync(new ReportArgs("forever", Fail: false), reports)).Id;

        // Every state, as the engine would have left it, on more queues.
        await db.InsertManyAsync(JobState.Completed, 300, "mail", "email.send");
        await db.InsertManyAsync(JobState.Available, 120, "mail", "email.send");
        await db.InsertManyAsync(JobState.Available, 8, "default", "image.thumbnail");
        await db.InsertJobAsync(new FixtureJob { State = JobState.Scheduled, Kind = "email.send", Queue = "mail", Args = """{"to":"ada@example.com","template":"reminder"}""", Tags = ["onboarding"] });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Retryable, Kind = "webhook.deliver", Errors = 2, MaxAttempts = 5, ErrorType = "System.Net.Http.HttpRequestException", ErrorMessage = "503 Service Unavailable from hooks.example.com" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Running, Kind = "video.transcode", Args = """{"file":"talk.mp4"}""" });
        var requeued = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "webhook.deliver", ErrorMessage = "410 Gone" });
        var deleted = await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "pdf.render", ErrorType = "System.IO.IOException", ErrorMessage = "disk full" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Discarded, Kind = "email.send", Queue = "mail", Errors = 3, ErrorMessage = "mailbox unavailable", Tenant = "globex" });
        await db.InsertJobAsync(new FixtureJob { State = JobState.Cancelled, Kind = "email.send", Queue = "mail" });
        var schedules = new RecurringSchedules(client);
        await schedules.AddOrUpdateAsync(new RecurringSchedule("nightly", "0 30 2 * * ?", "report.generate"));
        await schedules.AddOrUpdateAsync(new RecurringSchedule("hourly-cleanup", "0 0 * * * ?", "platform.noop"));
        await TestDatabase.WaitUntilAsync(async () =>
                await db.ScalarAsync<long>("SELECT count(*) FROM {schema}.jobs WHERE queue = 'reports' AND state IN ('completed', 'discarded')") == 40 &&
                (await client.GetAsync(stuck))?.State == JobState.Running,
            TimeSpan.FromSeconds(20), "the engine to finish 40 reports and start the one that runs on");
        var failedReport = await db.ScalarAsync<Guid>("SELECT id FROM {schema}.jobs WHERE queue = 'reports' AND state = 'discarded' ORDER BY id LIMIT 1");
        await AlertsFixture.WriteAsync(host.Client);

        // Audit entries, from the admin's actions.
        using (var http = await host.SignInAsync("admin"))
        {
            var token = await DashboardHost.PageTokenAsync(http);
            await DashboardHost.PostActionAsync(http, "/dashboard/jobs/failed/requeue", [new("jobs[]", JobKey.Format(requeued))], token);
            await DashboardHost.PostActionAsync(http, "/dashboard/jobs/failed/delete", [new("jobs[]", JobKey.Format(deleted))], token);
            await DashboardHost.PostActionAsync(http, "/dashboard/backlog/pause/mail", token: token);
            await DashboardHost.PostActionAsync(http, "/dashboard/recurring/trigger", [new("jobs[]", "nightly")], token);
        }

        var pages = new (string Name, string Path)[]
        {
            ("overview", "/dashboard/"),
            ("backlog", "/dashboard/backlog"),
            ("search", "/dashboard/search"),
            ("search-args", "/dashboard/search?queue=reports&state=discarded&args=" + Uri.EscapeDataString("""{"fail":true}""")),
            ("audit", "/dashboard/audit"),
            ("alerts", "/dashboard/alerts"),
            ("enqueued", "/dashboard/jobs/enqueued"),
            ("enqueued-mail", "/dashboard/jobs/enqueued/mail"),
            ("scheduled", "/dashboard/jobs/scheduled"),
            ("processing", "/dashboard/jobs/processing"),
            ("succeeded", "/dashboard/jobs/succeeded"),
            ("failed", "/dashboard/jobs/failed"),
            ("deleted", "/dashboard/jobs/deleted"),
            ("retries", "/dashboard/retries"),
            ("recurring", "/dashboard/recurring"),
            ("servers", "/dashboard/servers"),
            ("job-details", "/dashboard/jobs/details/" + JobKey.Format(failedReport)),
            ("job-details-running", "/dashboard/jobs/details/" + JobKey.Format(stuck)),
        };
        var artifacts = ProductPaths.Artifacts("dashboard");
        foreach (var stale in Directory.GetFiles(artifacts, "*.png"))
        {
            File.Delete(stale);
        }

        var problems = new List<string>();
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;

        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "login.png"), FullPage = true });
        problems.AddRange(browser.TakeErrors().Select(e => "login: " + e));

        await browser.SignInAsync("admin");
        await Expect(page.Locator(".navbar a", new() { HasText = "Audit" })).ToHaveCountAsync(1);
        foreach (var (name, path) in pages)
        {
            browser.TakeErrors();
            var response = await browser.GotoAsync(path);
            if (response.Status != 200)
            {
                problems.Add($"{name}: {path} answered {response.Status}");
            }

            // Hangfire's statistics poll, which every page repeats every 0.3 s here: it must answer.
            var poll = await page.WaitForResponseAsync(r => r.Url.EndsWith("/dashboard/stats", StringComparison.Ordinal));
            if (!poll.Ok)
            {
                problems.Add($"{name}: the statistics poll answered {poll.Status}");
            }

            var html = await page.ContentAsync();
            foreach (var bad in new[] { "Can not find the target method", "NotSupportedException", "Exception of type" })
            {
                if (html.Contains(bad, StringComparison.Ordinal))
                {
                    problems.Add($"{name}: the page says \"{bad}\"");
                }
            }

            if (await page.Locator("h1").CountAsync() == 0)
            {
                problems.Add($"{name}: the page has no heading");
            }

            await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, name + ".png"), FullPage = true });
            problems.AddRange(browser.TakeErrors().Select(e => $"{name}: {e}"));
        }

        Assert.True(problems.Count == 0, "Problems:\n  " + string.Join("\n  ", problems));
        Assert.Equal(pages.Select(p => p.Name + ".png").Append("login.png").Order(), Directory.GetFiles(artifacts, "*.png").Select(Path.GetFileName).Order());
    }

    [GeneratedRegex("^\\s*(Requeue|Delete|Pause|Resume|Trigger|Retry|Enqueue)", RegexOptions.IgnoreCase)]
    private static partial Regex ActionVerbs();

    private static async Task WaitForStateAsync(DashboardHost host, Guid id, JobState state)
    {
        Job? job = null;
        await TestDatabase.WaitUntilAsync(async () => (job = await host.Client.GetAsync(id))?.State == state,
            TimeSpan.FromSeconds(20), $"job {id} to be {state} (last seen: {job?.State})");
    }
}

/// <summary>A report that takes a few milliseconds, fails when asked to, or runs until it is stopped ("forever").</summary>
internal sealed record ReportArgs(string Report, bool Fail) : IJobArgs
{
    public static string Kind => "report.build";
}

/// <summary>A job that takes a few milliseconds.</summary>
internal sealed record DrainArgs(int N) : IJobArgs
{
    public static string Kind => "browser.drain";
}

/// <summary>A job whose first attempt fails with a message no other code uses.</summary>
internal sealed record FlakyArgs(string To) : IJobArgs
{
    public const string Message = "The flux capacitor overheated at 88 mph";

    public static string Kind => "browser.flaky";
}
