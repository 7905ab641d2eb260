using Hangfire;
using Hangfire.Dashboard;
using JobPlatform.Core;
using JobPlatform.Core.Alerts;
using JobPlatform.Core.Audit;
using JobPlatform.Core.Monitoring;
using JobPlatform.Dashboard.Access;
using JobPlatform.Dashboard.Actions;
using JobPlatform.Dashboard.Pages;
using JobPlatform.Dashboard.Storage;
using JobPlatform.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobPlatform.Dashboard;

/// <summary>Registers and maps the operators' dashboard: Hangfire's dashboard over JobPlatform, JobPlatform's own
/// pages, sign-in and roles.</summary>
public static class JobPlatformDashboardExtensions
{
    /// <summary>The authorization policy every dashboard page and action requires: a signed-in user with a role.</summary>
    public const string Policy = "JobPlatform.Dashboard";

    /// <summary>
    /// Adds the client, the storage adapter, the routes that send the dashboard's buttons to JobPlatform's
    /// operations, cookie sign-in (and single sign-on when <c>Dashboard:OpenIdConnect:Authority</c> is set),
    /// antiforgery and the role policy. Invalid settings fail here, each naming its key; so does a dashboard
    /// without users that would listen beyond loopback.
    /// </summary>
    public static IHostApplicationBuilder AddJobPlatformDashboard(this IHostApplicationBuilder builder)
    {
        builder.AddJobPlatformClient();
        var configuration = builder.Configuration;
        var settings = new DashboardSettings();
        configuration.GetSection(DashboardSettings.SectionName).Bind(settings);
        settings.Users = new Dictionary<string, DashboardUser>(settings.Users, StringComparer.OrdinalIgnoreCase);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(DashboardSettings.SectionName, typeof(DashboardSettings), errors);
        }

        ListenAddresses.RefuseIfUnprotected(configuration, settings);
        var worker = new JobEngineOptions();
        configuration.GetSection(JobPlatformWorkerExtensions.SectionName).Bind(worker);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(new StorageSettings(worker.CompletedRetention, worker.DiscardedRetention, settings.StatisticsCacheDuration));
        services.TryAddSingleton(TimeProvider.System);
        // No cron reader here (the dashboard does not reference Quartz): the scheduler checks crons and fires.
        services.TryAddSingleton(sp => new RecurringSchedules(sp.GetRequiredService<JobClient>()));
        services.TryAddSingleton(sp => new RecurringFirer(sp.GetRequiredService<JobClient>()));
        services.TryAddSingleton(sp => new JobMonitor(sp.GetRequiredService<JobClient>()));
        services.TryAddSingleton(sp => new AuditLog(sp.GetRequiredService<JobClient>()));
        services.TryAddSingleton(sp => new AlertStore(sp.GetRequiredService<JobClient>()));
        services.AddSingleton(sp => new JobPlatformStorage(sp.GetRequiredService<JobClient>(), sp.GetRequiredService<RecurringSchedules>(),
            sp.GetRequiredService<StorageSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OperatorActions>();
        services.AddSingleton(sp => new LoginThrottle(settings.MaxLoginFailures, settings.LoginFailureWindow, sp.GetRequiredService<TimeProvider>()));

        // Registered before AddHangfire, which only adds what is missing: Hangfire's dashboard then reads this storage
        // and these routes (never the process-wide JobStorage.Current), and whatever asks it for a client or a
        // recurring-job manager gets JobPlatform's operations.
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<JobPlatformStorage>());
        services.AddSingleton(_ => DashboardRouteTable.Create());
        services.AddSingleton<IBackgroundJobClientFactory, JobPlatformClientFactory>();
        services.AddSingleton<IRecurringJobManagerFactory, JobPlatformClientFactory>();
        services.AddHttpContextAccessor();
        services.AddHangfire(_ => DashboardRouteTable.InstallContent());

        // Cookies and antiforgery tokens must be readable by every replica: the key ring lives in PostgreSQL.
        services.TryAddSingleton(sp => new SharedKeyStore(sp.GetRequiredService<JobClient>()));
        services.AddDataProtection().SetApplicationName("JobPlatform.Dashboard");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new SharedKeyRepository(sp.GetRequiredService<SharedKeyStore>()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "jobplatform.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        var authentication = services.AddAuthentication(SignInEndpoints.CookieScheme).AddCookie(SignInEndpoints.CookieScheme, o =>
        {
            o.Cookie.Name = "jobplatform.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = settings.SessionLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            // A PathString would escape the query; the denied page is the login page with a flag.
            o.AccessDeniedPath = "/login";
            o.Events.OnRedirectToAccessDenied = context =>
            {
                if (context.Request.Headers.XRequestedWith == "XMLHttpRequest")
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                }
                else
                {
                    context.Response.Redirect("/login?denied=1");
                }

                return Task.CompletedTask;
            };
        });
        if (settings.OpenIdConnect.Enabled)
        {
            SingleSignOn.Add(authentication, settings.OpenIdConnect);
        }

        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireAssertion(c => DashboardRoles.Of(c.User) is not null));
        return builder;
    }

    /// <summary>
    /// Adds the security headers, sign-in and role checks to the pipeline, and maps <c>/login</c>, <c>/logout</c>,
    /// the dashboard at <c>/dashboard</c> and <c>/</c> (which leads to the Backlog page).
    /// </summary>
    public static WebApplication UseJobPlatformDashboard(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DashboardSettings>();
        if (settings.UseForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseMiddleware<LocalAccess>();
        app.UseAuthorization();
        SignInEndpoints.Map(app);
        app.MapGet("/", () => Results.Redirect(ReturnUrl.Default));
        // Browsers ask for it on every page; there is none.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapHangfireDashboardWithAuthorizationPolicy(Policy, DashboardSettings.PathBase, new DashboardOptions
        {
            DashboardTitle = System.Net.WebUtility.HtmlEncode(settings.Title),
            AppPath = null,
            StatsPollingInterval = (int)settings.StatsPollingInterval.TotalMilliseconds,
            DisplayStorageConnectionString = false,
            IsReadOnlyFunc = context => !DashboardRoles.CanAct(context.GetHttpContext().User),
            IgnoreAntiforgeryToken = false,
            DarkModeEnabled = true,
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }
}
