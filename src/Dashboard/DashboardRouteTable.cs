using Hangfire.Dashboard;
using JobPlatform.Dashboard.Actions;
using JobPlatform.Dashboard.Pages;

namespace JobPlatform.Dashboard;

/// <summary>
/// The dashboard's routes: JobPlatform's pages and actions first, then everything of Hangfire's own table. Hangfire
/// finds the first route that matches, so the built-in action routes listed here replace Hangfire's (which change
/// one job per call and report nothing), and Hangfire's pages are served unchanged.
/// </summary>
internal static class DashboardRouteTable
{
    private static readonly object Gate = new();
    private static bool _contentInstalled;

    public static RouteCollection Create()
    {
        var routes = new RouteCollection();
        BuiltInActions.AddTo(routes);
        routes.AddRazorPage("/backlog", _ => new BacklogPage(tableOnly: false));
        routes.AddRazorPage("/backlog/table", _ => new BacklogPage(tableOnly: true));
        routes.Add("/backlog/pause/(?<Queue>[^/]+)", new ActionDispatcher(r => r.Actions.PauseQueueAsync(r.Who, r.Route.Groups["Queue"].Value, r.Aborted)));
        routes.Add("/backlog/resume/(?<Queue>[^/]+)", new ActionDispatcher(r => r.Actions.ResumeQueueAsync(r.Who, r.Route.Groups["Queue"].Value, r.Aborted)));
        routes.AddRazorPage("/search", _ => new SearchPage());
        SearchActions.AddTo(routes);
        routes.AddRazorPage("/audit", _ => new AuditPage());
        routes.AddRazorPage("/alerts", _ => new AlertsPage());
        routes.Add("/alerts/test/(?<Channel>[^/]+)", new ActionDispatcher(r => r.Actions.SendTestAlertAsync(r.Who, Uri.UnescapeDataString(r.Route.Groups["Channel"].Value),
            $"{r.Http.Request.Scheme}://{r.Http.Request.Host}", r.Aborted)));
        routes.Add("/session", new SessionDispatcher());
        routes.Add(".*", new HangfireFallback(DashboardRoutes.Routes));
        return routes;
    }

    /// <summary>Adds JobPlatform's script and styles to Hangfire's (process-wide) bundles and its pages to the
    /// navigation, once per process.</summary>
    public static void InstallContent()
    {
        lock (Gate)
        {
            if (_contentInstalled)
            {
                return;
            }

            var assembly = typeof(DashboardRouteTable).Assembly;
            DashboardRoutes.AddJavaScript(assembly, "JobPlatform.Dashboard.Content.jobplatform.js");
            DashboardRoutes.AddStylesheet(assembly, "JobPlatform.Dashboard.Content.jobplatform.css");
            DashboardMetrics.AddMetric(Pages.AlertsMenu.FiringMetric);
            DashboardMenu.Install();
            _contentInstalled = true;
        }
    }
}
