using System.Globalization;
using System.Text.Json;
using Hangfire.Dashboard;
using JobPlatform.Core.Monitoring;
using JobPlatform.Dashboard.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Dashboard.Actions;

/// <summary>The Search page's bulk actions: retry or delete the posted selection, or every job matching the search
/// in the URL (the newest <see cref="DashboardSettings.BulkActionLimit"/>), and the count its confirmation states.</summary>
internal static class SearchActions
{
    public static void AddTo(RouteCollection routes)
    {
        routes.Add("/search/count", new CountDispatcher());
        routes.Add("/search/retry", new ActionDispatcher(r => ActAsync(r, retry: true)));
        routes.Add("/search/cancel", new ActionDispatcher(r => ActAsync(r, retry: false)));
    }

    private static async Task<ActionOutcome> ActAsync(ActionRequest request, bool retry)
    {
        var selected = await request.JobIdsAsync();
        if (selected.Count > 0)
        {
            return retry
                ? await request.Actions.RetryAsync(request.Who, selected, "search", request.Aborted)
                : await request.Actions.CancelAsync(request.Who, selected, includeFailed: true, "search", request.Aborted);
        }

        var query = SearchQuery.Read(request.Dashboard.Request);
        if (query.Error is { } error)
        {
            return ActionOutcome.Refused(error);
        }

        if (query.Values.Count == 0)
        {
            return ActionOutcome.Refused("Narrow the search first: an action on every matching job needs at least one filter.");
        }

        return await request.Actions.ActOnMatchesAsync(request.Who, query.Search, retry, query.Description, request.Aborted);
    }

    /// <summary>GET: how many jobs an action on the search would change, and the sentence the confirmation shows.</summary>
    private sealed class CountDispatcher : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var limit = http.RequestServices.GetRequiredService<DashboardSettings>().BulkActionLimit;
            var query = SearchQuery.Read(context.Request);
            http.Response.ContentType = "application/json; charset=utf-8";
            if (query.Error is { } error)
            {
                http.Response.StatusCode = 422;
                await JsonSerializer.SerializeAsync(http.Response.Body, new { error }, cancellationToken: http.RequestAborted);
                return;
            }

            var matching = (await http.RequestServices.GetRequiredService<JobMonitor>().SearchIdsAsync(query.Search, limit + 1, http.RequestAborted)).Count;
            var count = Math.Min(matching, limit);
            var n = count.ToString("N0", CultureInfo.InvariantCulture);
            var description = matching > limit
                ? $"the newest {n} of the more than {n} jobs matching {query.Description} (at most {n} per action)"
                : $"the {(count == 1 ? "1 job" : n + " jobs")} matching {query.Description}";
            await JsonSerializer.SerializeAsync(http.Response.Body, new { count, capped = matching > limit, limit, description },
                cancellationToken: http.RequestAborted);
        }
    }
}
