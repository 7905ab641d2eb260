using System.Collections.Concurrent;
using System.Diagnostics;
using JobPlatform.Core.Execution;
using JobPlatform.Core.Fetching;

namespace JobPlatform.Core.Diagnostics;

/// <summary>
/// The engine's activities: an enqueue starts (or continues) a trace, whose <c>traceparent</c> the job carries
/// in <c>trace_context</c>; each attempt continues it in the worker. Every method returns at once, without
/// allocating, while nobody listens to <see cref="JobPlatformTelemetry.ActivitySourceName"/>.
/// </summary>
internal static class JobTracing
{
    public const string KindTag = "jobplatform.job.kind";
    public const string QueueTag = "jobplatform.job.queue";
    public const string AttemptTag = "jobplatform.job.attempt";
    public const string IdTag = "jobplatform.job.id";
    public const string OutcomeTag = "jobplatform.job.outcome";
    public const string CountTag = "jobplatform.jobs.count";

    public static readonly ActivitySource Source = new(JobPlatformTelemetry.ActivitySourceName);

    /// <summary>Span names per kind, made once: kinds are few, attempts many.</summary>
    private static readonly ConcurrentDictionary<string, string> RunNames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> EnqueueNames = new(StringComparer.Ordinal);

    /// <summary>Starts the producer activity of an enqueue of one job of <paramref name="kind"/>, or of a batch when
    /// <paramref name="kind"/> is null; null when nobody listens or the sampler drops it.</summary>
    public static Activity? StartEnqueue(string? kind)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(
            kind is null ? "enqueue batch" : EnqueueNames.GetOrAdd(kind, static k => "enqueue " + k), ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true } && kind is not null)
        {
            activity.SetTag(KindTag, kind);
        }

        return activity;
    }

    /// <summary>The <c>traceparent</c> a new job carries: the current activity's, when it is a W3C one.</summary>
    public static string? CurrentTraceContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts the consumer activity of one attempt, a child of the job's trace context when it has a valid one.</summary>
    public static Activity? StartRun(FetchedJob job)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(job.TraceContext, traceState: null, isRemote: true, out var parent);
        var activity = Source.StartActivity(RunNames.GetOrAdd(job.Kind, static k => "run " + k), ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(KindTag, job.Kind);
            activity.SetTag(QueueTag, job.Queue);
            activity.SetTag(AttemptTag, job.Attempt);
            activity.SetTag(IdTag, job.Id.ToString());
        }

        return activity;
    }

    /// <summary>Records the attempt's outcome on its activity.</summary>
    public static void Finish(Activity activity, JobOutcome outcome) => activity.SetTag(OutcomeTag, outcome.Label);

    /// <summary>Marks an enqueue's activity as failed; returns false, for an exception filter that lets the exception pass.</summary>
    public static bool RecordError(Activity? activity, Exception exception)
    {
        Fail(activity, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception);
        return false;
    }

    /// <summary>Marks the attempt's activity as failed, with the error's type and message.</summary>
    public static void Fail(Activity? activity, string type, string message, Exception? exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, message);
        if (activity.IsAllDataRequested)
        {
            activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                ["exception.type"] = type,
                ["exception.message"] = message,
                ["exception.stacktrace"] = exception?.ToString(),
            }));
        }
    }
}
