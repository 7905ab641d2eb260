using Hangfire.Dashboard;

namespace JobPlatform.Dashboard.Actions;

/// <summary>
/// The dashboard's own buttons (Requeue, Delete, Enqueue now, Trigger now, Delete schedule, and the Pause and Resume
/// schedule buttons JobPlatform adds to the Recurring page), rerouted to
/// JobPlatform's operations: a batch is one statement however many jobs are selected, and every outcome is told.
/// Requeue is a retry (any waiting or finished job becomes available now; a running one cannot be); Delete is a
/// cancel (a running job's handler is told to stop; on the Failed page and the details page a failed job is
/// moved to Deleted).
/// </summary>
internal static class BuiltInActions
{
    public static void AddTo(RouteCollection routes)
    {
        foreach (var page in new[] { "enqueued", "processing", "scheduled", "succeeded", "failed", "deleted" })
        {
            var where = page;
            routes.Add($"/jobs/{page}/requeue", Batch(r => r.Actions.RetryAsync(r.Who, r.Ids, where, r.Aborted)));
            routes.Add($"/jobs/{page}/delete", Batch(r => r.Actions.CancelAsync(r.Who, r.Ids, includeFailed: where == "failed", where, r.Aborted)));
        }

        // "Enqueue now" on the Scheduled and Retries pages.
        routes.Add("/jobs/scheduled/enqueue", Batch(r => r.Actions.RetryAsync(r.Who, r.Ids, "scheduled", r.Aborted)));
        routes.Add("/jobs/awaiting/(enqueue|delete)", new ActionDispatcher(_ =>
            Task.FromResult(ActionOutcome.Refused("JobPlatform has no continuations, so no job is awaiting another."))));
        routes.Add("/jobs/actions/requeue/(?<JobId>.+)", Single(r => r.Actions.RetryAsync(r.Who, r.Ids, "details", r.Aborted)));
        routes.Add("/jobs/actions/delete/(?<JobId>.+)", Single(r => r.Actions.CancelAsync(r.Who, r.Ids, includeFailed: true, "details", r.Aborted)));
        routes.Add("/recurring/trigger", new ActionDispatcher(async r => await r.Actions.TriggerAsync(r.Who, await r.ValuesAsync(), r.Aborted)));
        routes.Add("/recurring/remove", new ActionDispatcher(async r => await r.Actions.RemoveSchedulesAsync(r.Who, await r.ValuesAsync(), r.Aborted)));
        // Not Hangfire's: the Recurring page gets Pause and Resume buttons from JobPlatform's script.
        routes.Add("/recurring/pause", new ActionDispatcher(async r => await r.Actions.SetSchedulesPausedAsync(r.Who, await r.ValuesAsync(), true, r.Aborted)));
        routes.Add("/recurring/resume", new ActionDispatcher(async r => await r.Actions.SetSchedulesPausedAsync(r.Who, await r.ValuesAsync(), false, r.Aborted)));
    }

    private sealed record JobsRequest(ActionRequest Request, IReadOnlyList<Guid> Ids)
    {
        public OperatorActions Actions => Request.Actions;

        public Operator Who => Request.Who;

        public CancellationToken Aborted => Request.Aborted;
    }

    private static ActionDispatcher Batch(Func<JobsRequest, Task<ActionOutcome>> act) => new(async request =>
    {
        var ids = await request.JobIdsAsync();
        return ids.Count == 0 ? ActionOutcome.Refused("No job was selected.") : await act(new JobsRequest(request, ids));
    });

    private static ActionDispatcher Single(Func<JobsRequest, Task<ActionOutcome>> act) => new(async request =>
        Storage.JobKey.TryParse(request.Route.Groups["JobId"].Value, out var id)
            ? await act(new JobsRequest(request, [id]))
            : ActionOutcome.Refused($"'{request.Route.Groups["JobId"].Value}' is not a job id."));
}
