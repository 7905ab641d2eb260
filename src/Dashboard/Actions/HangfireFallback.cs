using Hangfire.Dashboard;

namespace JobPlatform.Dashboard.Actions;

/// <summary>Serves every route this dashboard does not replace from Hangfire's own table (pages, statistics,
/// scripts, styles), with the route's match as Hangfire's pages expect it.</summary>
internal sealed class HangfireFallback(RouteCollection builtIn) : IDashboardDispatcher
{
    public Task Dispatch(DashboardContext context)
    {
        if (builtIn.FindDispatcher(context.Request.Path) is not { } found)
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        context.UriMatch = found.Item2;
        return found.Item1.Dispatch(context);
    }
}
