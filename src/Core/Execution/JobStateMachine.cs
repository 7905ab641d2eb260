using System.Text.Json;

namespace JobPlatform.Core.Execution;

/// <summary>
/// Every transition a job can make, in one place. The SQL statements implement these moves; the engine
/// asks this class which move an attempt's result calls for.
/// </summary>
internal static class JobStateMachine
{
    /// <summary>All allowed (from, to) moves and who makes them.</summary>
    public static readonly IReadOnlyList<(JobState From, JobState To, string By)> Transitions =
    [
        (JobState.Available, JobState.Running, "worker fetch"),
        (JobState.Available, JobState.Cancelled, "cancel"),
        (JobState.Scheduled, JobState.Available, "promoter when due; operator retry"),
        (JobState.Scheduled, JobState.Cancelled, "cancel"),
        (JobState.Retryable, JobState.Available, "promoter when due; operator retry"),
        (JobState.Retryable, JobState.Cancelled, "cancel"),
        (JobState.Running, JobState.Completed, "worker: handler succeeded"),
        (JobState.Running, JobState.Retryable, "worker: failed with attempts left"),
        (JobState.Running, JobState.Discarded, "worker: failed last attempt or discarded; rescuer: last attempt lost"),
        (JobState.Running, JobState.Cancelled, "worker: cancellation requested"),
        (JobState.Running, JobState.Scheduled, "worker: snooze"),
        (JobState.Running, JobState.Available, "worker: shutdown release; rescuer: worker lost"),
        (JobState.Completed, JobState.Available, "operator retry"),
        (JobState.Discarded, JobState.Available, "operator retry"),
        (JobState.Discarded, JobState.Cancelled, "operator delete of a failed job (the dashboard's Delete, CancelManyAsync with includeDiscarded)"),
        (JobState.Cancelled, JobState.Available, "operator retry"),
    ];

    public static bool IsAllowed(JobState from, JobState to) => Transitions.Any(t => t.From == from && t.To == to);

    public static JobOutcome Completed(FetchedJob job) =>
        new(job.Id, job.Attempt, JobState.Completed, null, null, 0, "completed");

    /// <summary>A failed attempt: retryable after the backoff delay while attempts remain, else discarded.</summary>
    public static JobOutcome Failed(FetchedJob job, JobError error, TimeSpan backoff) =>
        job.Attempt >= job.MaxAttempts
            ? new(job.Id, job.Attempt, JobState.Discarded, null, Serialize(error), 0, "discarded")
            : new(job.Id, job.Attempt, JobState.Retryable, (long)backoff.TotalMilliseconds, Serialize(error), 0, "failed");

    public static JobOutcome Discarded(FetchedJob job, JobError error) =>
        new(job.Id, job.Attempt, JobState.Discarded, null, Serialize(error), 0, "discarded");

    public static JobOutcome Cancelled(FetchedJob job, JobError error) =>
        new(job.Id, job.Attempt, JobState.Cancelled, null, Serialize(error), 0, "cancelled");

    /// <summary>Snooze: scheduled again after the delay, the attempt given back.</summary>
    public static JobOutcome Snoozed(FetchedJob job, TimeSpan delay) =>
        new(job.Id, job.Attempt, JobState.Scheduled, (long)delay.TotalMilliseconds, null, 1, "snoozed");

    /// <summary>Shutdown release: available again at its old position, the attempt given back.</summary>
    public static JobOutcome Released(FetchedJob job) =>
        new(job.Id, job.Attempt, JobState.Available, null, null, 1, "released");

    private static string Serialize(JobError error) => JsonSerializer.Serialize(error, PlatformJsonContext.Default.JobError);
}
