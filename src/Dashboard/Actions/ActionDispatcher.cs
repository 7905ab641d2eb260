using System.Text.RegularExpressions;
using Hangfire.Dashboard;
using JobPlatform.Dashboard.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Dashboard.Actions;

/// <summary>What an action handler gets: the request and the operator behind it.</summary>
internal sealed record ActionRequest(DashboardContext Dashboard, HttpContext Http, Operator Who, OperatorActions Actions)
{
    public Match Route => Dashboard.UriMatch;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The job ids posted as <c>jobs[]</c> (the dashboard's lists) that are job ids.</summary>
    public async Task<IReadOnlyList<Guid>> JobIdsAsync()
    {
        var ids = new List<Guid>();
        foreach (var key in await Dashboard.Request.GetFormValuesAsync("jobs[]"))
        {
            if (JobKey.TryParse(key, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The posted <c>jobs[]</c> values as they are (schedule ids on the Recurring page).</summary>
    public async Task<IReadOnlyList<string>> ValuesAsync() =>
        (await Dashboard.Request.GetFormValuesAsync("jobs[]")).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
}

/// <summary>
/// Runs an operator's action posted by a dashboard button and answers as the dashboard's scripts expect: 204 when
/// something changed (the page reloads and shows the outcome, see <see cref="Notice"/>), 422 with the reason as
/// text when nothing did, 403 for a viewer. Antiforgery tokens are checked before this runs (Hangfire's
/// middleware). Hangfire's own dispatchers answer 204 whatever happened and their buttons spin forever on an
/// error; these replace them for every built-in action.
/// </summary>
internal sealed class ActionDispatcher(Func<ActionRequest, Task<ActionOutcome>> action) : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var who = Operator.Of(http);
        var request = new ActionRequest(context, http, who, http.RequestServices.GetRequiredService<OperatorActions>());
        ActionOutcome outcome;
        var status = StatusCodes.Status422UnprocessableEntity;
        try
        {
            outcome = await action(request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILogger<ActionDispatcher>>().LogError(e, "Dashboard action {Path} failed", http.Request.Path);
            outcome = ActionOutcome.Refused("The action failed and may not have been applied: " + e.Message);
            status = StatusCodes.Status500InternalServerError;
        }

        if (outcome.Done)
        {
            Notice.Set(http, outcome.Message);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        http.Response.StatusCode = who.CanAct ? status : StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(outcome.Message, http.RequestAborted);
    }
}
