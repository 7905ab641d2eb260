using Hangfire.Dashboard;
using JobPlatform.Dashboard.Access;

namespace JobPlatform.Dashboard;

/// <summary>
/// JobPlatform's pages in the dashboard's navigation bar, around Hangfire's own (Jobs, Retries, Recurring Jobs,
/// Servers): Backlog first (where on-call engineers land), then Hangfire's, then Search, Alerts (with the number of
/// firing alerts) and Audit (admins only); <see cref="Add"/> places more. Hangfire's
/// menus are process-wide, so items are registered once per process.
/// </summary>
public static class DashboardMenu
{
    /// <summary>Where the Alerts page goes: after Search, before Audit.</summary>
    public const int AlertsOrder = 70;

    private static readonly object Gate = new();
    private static readonly List<(int Order, Func<RazorPage, MenuItem?> Item)> Items = [];
    private static bool _installed;

    /// <summary>Adds a page's menu item at <paramref name="order"/> (Backlog is 0, Hangfire's items 10-40, Search
    /// 60, Audit 80). The item function returns null to hide the item for a request.</summary>
    public static void Add(int order, Func<RazorPage, MenuItem?> item)
    {
        lock (Gate)
        {
            Items.Add((order, item));
            if (_installed)
            {
                Rebuild();
            }
        }
    }

    internal static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            Items.Add((0, page => new MenuItem("Backlog", page.Url.To("/backlog")) { Active = page.RequestPath.StartsWith("/backlog", StringComparison.OrdinalIgnoreCase) }));
            Items.Add((60, page => new MenuItem("Search", page.Url.To("/search")) { Active = page.RequestPath.StartsWith("/search", StringComparison.OrdinalIgnoreCase) }));
            Items.Add((AlertsOrder, page => new MenuItem("Alerts", page.Url.To("/alerts"))
            {
                Active = page.RequestPath.StartsWith("/alerts", StringComparison.OrdinalIgnoreCase),
                Metric = Pages.AlertsMenu.FiringMetric,
            }));
            Items.Add((80, page => DashboardRoles.IsAdmin(page.Context.GetHttpContext().User)
                ? new MenuItem("Audit", page.Url.To("/audit")) { Active = page.RequestPath.StartsWith("/audit", StringComparison.OrdinalIgnoreCase) }
                : null));
            var builtIn = NavigationMenu.Items.ToList();
            for (var i = 0; i < builtIn.Count; i++)
            {
                var item = builtIn[i];
                Items.Add((10 + (10 * Math.Min(i, 3)), page => item(page)));
            }

            // JobPlatform has no continuations: the Jobs sidebar's last item, Awaiting, goes.
            if (JobsSidebarMenu.Items.Count == 7)
            {
                JobsSidebarMenu.Items.RemoveAt(6);
            }

            _installed = true;
            Rebuild();
        }
    }

    private static void Rebuild()
    {
        NavigationMenu.Items.Clear();
        NavigationMenu.Items.AddRange(Items.OrderBy(i => i.Order).Select(i => (Func<RazorPage, MenuItem>)(page => i.Item(page)!)));
    }
}
