using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobPlatform.Core;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// A JobPlatform job in the Hangfire dashboard's terms: the state names its pages know (available is Enqueued,
/// scheduled and retryable are Scheduled, running is Processing, completed is Succeeded, discarded is Failed,
/// cancelled is Deleted), the state data keys its renderers read, and a state history rebuilt from the row
/// (there is no history table: the row keeps every failed attempt's error, the last attempt's start and the end).
/// </summary>
internal static class HangfireView
{
    /// <summary>The Hangfire state name of a JobPlatform state.</summary>
    public static string StateName(JobState state) => state switch
    {
        JobState.Available => EnqueuedState.StateName,
        JobState.Scheduled or JobState.Retryable => ScheduledState.StateName,
        JobState.Running => ProcessingState.StateName,
        JobState.Completed => SucceededState.StateName,
        JobState.Discarded => FailedState.StateName,
        _ => DeletedState.StateName,
    };

    public static Hangfire.Common.Job HangfireJob(Core.Job job) => JobPlatformKind.For(job.Kind, job.ArgsJson);

    public static JobData JobData(Core.Job job) => new()
    {
        State = StateName(job.State),
        Job = HangfireJob(job),
        CreatedAt = job.CreatedAt.UtcDateTime,
        ParametersSnapshot = new Dictionary<string, string>(),
    };

    public static StateData StateData(Core.Job job)
    {
        var current = Current(job);
        return new StateData { Name = current.StateName, Reason = current.Reason, Data = current.Data };
    }

    /// <summary>The job's states, newest first (the details page adds "Created" itself).</summary>
    public static IList<StateHistoryDto> History(Core.Job job)
    {
        var cards = new List<(DateTimeOffset At, int Order, StateHistoryDto Card)>();
        var lastError = job.Errors.Count > 0 ? job.Errors[^1] : null;
        var finalFailure = job.State == JobState.Discarded ? lastError : null;
        foreach (var error in job.Errors)
        {
            if (ReferenceEquals(error, finalFailure))
            {
                continue;
            }

            cards.Add((error.At, 2, Card(FailedState.StateName, error.At,
                $"Attempt {error.Attempt} of {job.MaxAttempts} failed; retried after a backoff", FailureData(error))));
        }

        // The row keeps the start of the latest attempt only; a running job's is its current state.
        if (job.AttemptedAt is { } started && job.State != JobState.Running)
        {
            cards.Add((started, 1, Card(ProcessingState.StateName, started, $"Attempt {job.Attempt} of {job.MaxAttempts}",
                new Dictionary<string, string> { ["ServerId"] = job.AttemptedBy ?? "unknown" })));
        }

        cards.Add((CurrentAt(job), 3, Current(job)));
        return cards.OrderByDescending(c => c.At).ThenByDescending(c => c.Order).Select(c => c.Card).ToList();
    }

    /// <summary>What the details page lists under Parameters: everything about the job besides its state.</summary>
    public static IDictionary<string, string> Properties(Core.Job job, string prettyArgs)
    {
        var properties = new Dictionary<string, string>
        {
            ["Kind"] = job.Kind,
            ["Queue"] = job.Queue,
            ["State"] = job.State.ToDb(),
            ["Priority"] = job.Priority.ToString(CultureInfo.InvariantCulture) + (job.Priority == 0 ? " (runs first)" : ""),
            ["Attempt"] = $"{job.Attempt} / {job.MaxAttempts}",
        };
        Add(properties, "Tags", job.Tags.Count > 0 ? string.Join(", ", job.Tags) : null);
        Add(properties, "Tenant", job.TenantId);
        Add(properties, "Unique key", job.UniqueKey);
        Add(properties, "Timeout", job.Timeout?.ToString("c", CultureInfo.InvariantCulture));
        Add(properties, "Due at", job.ScheduledAt.ToString("u", CultureInfo.InvariantCulture));
        Add(properties, "Worker", job.AttemptedBy);
        Add(properties, "Cancellation requested", job.CancelRequestedAt?.ToString("u", CultureInfo.InvariantCulture));
        properties["Args"] = prettyArgs;
        return properties;
    }

    public static EnqueuedJobDto Enqueued(Core.Job job) => new()
    {
        Job = HangfireJob(job),
        State = StateName(job.State),
        EnqueuedAt = job.ScheduledAt.UtcDateTime,
        InEnqueuedState = job.State == JobState.Available,
        StateData = Current(job).Data,
    };

    public static ScheduledJobDto Scheduled(Core.Job job) => new()
    {
        Job = HangfireJob(job),
        EnqueueAt = job.ScheduledAt.UtcDateTime,
        ScheduledAt = CurrentAt(job).UtcDateTime,
        InScheduledState = job.State is JobState.Scheduled or JobState.Retryable,
        StateData = Current(job).Data,
    };

    public static ProcessingJobDto Processing(Core.Job job) => new()
    {
        Job = HangfireJob(job),
        ServerId = job.AttemptedBy ?? "unknown",
        StartedAt = job.AttemptedAt?.UtcDateTime,
        InProcessingState = job.State == JobState.Running,
        StateData = Current(job).Data,
    };

    public static SucceededJobDto Succeeded(Core.Job job) => new()
    {
        Job = HangfireJob(job),
        SucceededAt = job.FinalizedAt?.UtcDateTime,
        TotalDuration = job.FinalizedAt is { } end ? (long)(end - job.ScheduledAt).TotalMilliseconds : null,
        InSucceededState = job.State == JobState.Completed,
        StateData = Current(job).Data,
    };

    public static FailedJobDto Failed(Core.Job job)
    {
        var current = Current(job);
        return new FailedJobDto
        {
            Job = HangfireJob(job),
            Reason = current.Reason,
            FailedAt = job.FinalizedAt?.UtcDateTime,
            ExceptionType = current.Data.TryGetValue("ExceptionType", out var type) ? type : null,
            ExceptionMessage = current.Data.TryGetValue("ExceptionMessage", out var message) ? message : null,
            ExceptionDetails = current.Data.TryGetValue("ExceptionDetails", out var details) ? details : null,
            InFailedState = job.State == JobState.Discarded,
            StateData = current.Data,
        };
    }

    public static DeletedJobDto Deleted(Core.Job job) => new()
    {
        Job = HangfireJob(job),
        DeletedAt = job.FinalizedAt?.UtcDateTime,
        InDeletedState = job.State == JobState.Cancelled,
        StateData = Current(job).Data,
    };

    /// <summary>When the current state began, as far as the row tells.</summary>
    private static DateTimeOffset CurrentAt(Core.Job job) => job.State switch
    {
        JobState.Available => job.ScheduledAt < job.CreatedAt ? job.CreatedAt : job.ScheduledAt,
        JobState.Scheduled => job.Errors.Count > 0 ? job.Errors[^1].At : job.CreatedAt,
        JobState.Retryable => job.Errors.Count > 0 ? job.Errors[^1].At : job.AttemptedAt ?? job.CreatedAt,
        JobState.Running => job.AttemptedAt ?? job.CreatedAt,
        _ => job.FinalizedAt ?? job.CreatedAt,
    };

    private static StateHistoryDto Current(Core.Job job)
    {
        var last = job.Errors.Count > 0 ? job.Errors[^1] : null;
        var at = CurrentAt(job);
        return job.State switch
        {
            JobState.Available => Card(EnqueuedState.StateName, at, job.Errors.Count > 0 ? $"Waiting for attempt {job.Attempt + 1} of {job.MaxAttempts}" : null,
                new Dictionary<string, string> { ["Queue"] = job.Queue }),
            JobState.Scheduled => Card(ScheduledState.StateName, at, "Waiting until it is due",
                new Dictionary<string, string> { ["EnqueueAt"] = JobHelper.SerializeDateTime(job.ScheduledAt.UtcDateTime), ["Queue"] = job.Queue }),
            JobState.Retryable => Card(ScheduledState.StateName, at,
                $"Retry attempt {job.Attempt + 1} of {job.MaxAttempts}" + (last?.Message is { } m ? ": " + m : ""),
                new Dictionary<string, string> { ["EnqueueAt"] = JobHelper.SerializeDateTime(job.ScheduledAt.UtcDateTime), ["Queue"] = job.Queue }),
            JobState.Running => Card(ProcessingState.StateName, at,
                job.CancelRequestedAt is not null ? "Cancellation requested; the handler's token has been fired" : $"Attempt {job.Attempt} of {job.MaxAttempts}",
                new Dictionary<string, string> { ["ServerId"] = job.AttemptedBy ?? "unknown" }),
            JobState.Completed => Card(SucceededState.StateName, at, null, SucceededData(job)),
            JobState.Discarded => Card(FailedState.StateName, at,
                job.Attempt >= job.MaxAttempts ? (job.MaxAttempts == 1 ? "Failed its only attempt" : $"Failed all {job.MaxAttempts} attempts") : $"Discarded on attempt {job.Attempt} of {job.MaxAttempts}: retrying cannot help",
                last is null ? new Dictionary<string, string> { ["ExceptionType"] = "unknown", ["ExceptionMessage"] = "no error was recorded" } : FailureData(last)),
            _ => Card(DeletedState.StateName, at,
                job.AttemptedAt is not null && job.CancelRequestedAt is not null ? "Cancelled while running" : "Cancelled",
                DeletedData(last)),
        };
    }

    /// <summary>A deleted job that had failed shows its last error on the Deleted page (Hangfire's serialized form).</summary>
    private static Dictionary<string, string> DeletedData(JobError? last) =>
        last?.Type is { } type
            ? new Dictionary<string, string> { ["Exception"] = SerializationHelper.Serialize(new Hangfire.ExceptionInfo(type, last.Message, null), SerializationOption.Internal) }
            : [];

    private static Dictionary<string, string> SucceededData(Core.Job job)
    {
        var data = new Dictionary<string, string>();
        if (job.AttemptedAt is { } started)
        {
            data["Latency"] = Milliseconds(started - job.ScheduledAt);
            if (job.FinalizedAt is { } end)
            {
                data["PerformanceDuration"] = Milliseconds(end - started);
            }
        }

        return data;
    }

    private static Dictionary<string, string> FailureData(JobError error)
    {
        var data = new Dictionary<string, string>
        {
            ["ExceptionType"] = error.Type ?? "unknown",
            ["ExceptionMessage"] = error.Message ?? "",
        };
        Add(data, "ExceptionDetails", error.Stack);
        Add(data, "ServerId", error.Worker);
        return data;
    }

    private static string Milliseconds(TimeSpan span) =>
        Math.Max(0, (long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static StateHistoryDto Card(string state, DateTimeOffset at, string? reason, IDictionary<string, string> data) =>
        new() { StateName = state, CreatedAt = at.UtcDateTime, Reason = reason, Data = data };

    private static void Add(IDictionary<string, string> properties, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[key] = value;
        }
    }
}
