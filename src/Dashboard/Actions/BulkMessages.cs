using System.Globalization;
using JobPlatform.Core;

namespace JobPlatform.Dashboard.Actions;

/// <summary>Sentences for what a bulk retry or cancel did, naming why each refused job stayed as it was.</summary>
internal static class BulkMessages
{
    public static ActionOutcome Retried(BulkOutcome outcome) =>
        Describe(outcome, "Requeued", "requeued", state => state switch
        {
            JobState.Running => "running (a running job cannot be requeued; Delete cancels it)",
            JobState.Available => "already waiting for a worker",
            _ => state.ToDb(),
        });

    public static ActionOutcome Cancelled(BulkOutcome outcome)
    {
        var result = Describe(outcome, "Deleted", "deleted", state => state switch
        {
            JobState.Completed => "already succeeded",
            JobState.Cancelled => "already deleted",
            JobState.Discarded => "failed (delete failed jobs from the Failed page or a search for failed jobs)",
            _ => state.ToDb(),
        });
        return outcome.CancellationRequested > 0
            ? result with { Message = result.Message + $" {Jobs(outcome.CancellationRequested)} running: their handlers were told to stop and they end as deleted when they do." }
            : result;
    }

    private static ActionOutcome Describe(BulkOutcome outcome, string done, string verb, Func<JobState, string> why)
    {
        var parts = new List<string>();
        foreach (var (state, count) in outcome.Unchanged.OrderBy(p => p.Key))
        {
            parts.Add($"{count.ToString("N0", CultureInfo.InvariantCulture)} {why(state)}");
        }

        if (outcome.NotFound > 0)
        {
            parts.Add($"{outcome.NotFound.ToString("N0", CultureInfo.InvariantCulture)} no longer exist (pruned after their retention)");
        }

        if (outcome.UniqueKeyConflicts > 0)
        {
            parts.Add($"{outcome.UniqueKeyConflicts.ToString("N0", CultureInfo.InvariantCulture)} blocked: another unfinished job holds the same unique key");
        }

        var message = $"{done} {Jobs(outcome.Changed)}.";
        if (parts.Count > 0)
        {
            message += $" Not {verb}: {string.Join("; ", parts)}.";
        }

        return new ActionOutcome(outcome.Changed > 0, message);
    }

    public static string Jobs(int count) =>
        count == 1 ? "1 job" : count.ToString("N0", CultureInfo.InvariantCulture) + " jobs";
}
