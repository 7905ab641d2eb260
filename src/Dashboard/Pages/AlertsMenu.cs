using Hangfire.Dashboard;
using JobPlatform.Core.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Dashboard.Pages;

/// <summary>The number of firing alerts beside the Alerts menu item (red when any fires), read at most every
/// 5 s per process: it is evaluated on every page and every statistics poll.</summary>
internal static class AlertsMenu
{
    private static readonly object Gate = new();
    private static (long Firing, long ReadAt)? _last;

    public static readonly DashboardMetric FiringMetric = new("jp:alerts-firing", "Firing alerts", page =>
    {
        var firing = Firing(page.Context.GetHttpContext().RequestServices.GetRequiredService<AlertStore>());
        return new Metric(firing)
        {
            Style = firing > 0 ? MetricStyle.Danger : MetricStyle.Default,
            Highlighted = firing > 0,
            Title = firing > 0 ? $"{firing} alerts firing" : "no alert fires",
        };
    });

    private static long Firing(AlertStore store)
    {
        lock (Gate)
        {
            if (_last is { } last && Environment.TickCount64 - last.ReadAt < 5000)
            {
                return last.Firing;
            }
        }

        var firing = store.CountAsync().GetAwaiter().GetResult().FiringByRule.Values.Sum();
        lock (Gate)
        {
            _last = (firing, Environment.TickCount64);
        }

        return firing;
    }
}
