using System.Diagnostics;
using JobPlatform.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Execution;

/// <summary>
/// Runs one attempt: finds the handler, applies the time limit, and turns what happened into an outcome.
/// Never throws: every result of a handler, including one that ignores its token, becomes an outcome.
/// </summary>
internal sealed class JobExecutor(
    JobHandlerRegistry handlers,
    JobEngineOptions options,
    RunningJobs running,
    string workerId,
    TimeProvider time,
    Func<double> jitter,
    ILogger logger)
{
    private const int MaxStackChars = 8 * 1024;

    /// <summary>Runs the attempt; inside an activity continuing the job's trace when someone listens.</summary>
    public Task<JobOutcome> ExecuteAsync(FetchedJob job) =>
        JobTracing.Source.HasListeners() ? ExecuteTracedAsync(job) : RunAsync(job, activity: null);

    /// <summary>Started here, in an async method, so the activity is current for the handler and never leaks
    /// into the fetch loop that called it.</summary>
    private async Task<JobOutcome> ExecuteTracedAsync(FetchedJob job)
    {
        using var activity = JobTracing.StartRun(job);
        var outcome = await RunAsync(job, activity).ConfigureAwait(false);
        if (activity is not null)
        {
            JobTracing.Finish(activity, outcome);
        }

        return outcome;
    }

    private async Task<JobOutcome> RunAsync(FetchedJob job, Activity? activity)
    {
        if (!handlers.TryGet(job.Kind, out var registration))
        {
            var known = string.Join(", ", handlers.Kinds.Order());
            logger.LogWarning("Job {JobId} has kind {Kind}, which worker {WorkerId} does not handle; retrying it with backoff", job.Id, job.Kind, workerId);
            return JobStateMachine.Failed(job, Error(activity, job, "JobPlatform.UnknownKind",
                $"No handler for kind '{job.Kind}' on worker {workerId} (it handles: {known}). Retried with backoff: a newer worker may know it.", null),
                Backoff(job, options.Retry));
        }

        var timeout = job.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : registration.Options.Timeout ?? options.DefaultJobTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var jobSource = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token);
        var entry = running.Add(job.Id, jobSource);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var context = new JobContext(job, workerId);
            var task = Task.Run(() => registration.Invoke(job.ArgsJson, context, jobSource.Token), CancellationToken.None);
            await WaitWithGraceAsync(task, jobSource.Token).ConfigureAwait(false);
            return JobStateMachine.Completed(job);
        }
        catch (SnoozeJobException snooze)
        {
            return JobStateMachine.Snoozed(job, snooze.Delay);
        }
        catch (Exception) when (entry.ShutdownRequested)
        {
            return JobStateMachine.Released(job);
        }
        catch (Exception e) when (entry.CancelRequested)
        {
            return JobStateMachine.Cancelled(job, Error(activity, job, "JobPlatform.Cancelled", "Cancelled at request while running.", e));
        }
        catch (DiscardJobException discard)
        {
            logger.LogWarning("Job {JobId} ({Kind}) discarded by its handler: {Reason}", job.Id, job.Kind, discard.Message);
            return JobStateMachine.Discarded(job, Error(activity, job, discard.GetType().FullName!, discard.Message, discard));
        }
        catch (Exception e) when (timeoutSource.IsCancellationRequested)
        {
            logger.LogWarning("Job {JobId} ({Kind}) attempt {Attempt} timed out after {Timeout}", job.Id, job.Kind, job.Attempt, timeout);
            return JobStateMachine.Failed(job, Error(activity, job, "JobPlatform.Timeout", $"Attempt timed out after {timeout}.", e),
                Backoff(job, registration.Options.Retry ?? options.Retry));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {JobId} ({Kind}) attempt {Attempt}/{MaxAttempts} failed", job.Id, job.Kind, job.Attempt, job.MaxAttempts);
            return JobStateMachine.Failed(job, Error(activity, job, e.GetType().FullName!, e.Message, e), Backoff(job, registration.Options.Retry ?? options.Retry));
        }
        finally
        {
            running.Remove(job.Id);
            EngineMetrics.JobDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("queue", job.Queue), new KeyValuePair<string, object?>("kind", job.Kind));
        }
    }

    /// <summary>Waits for the handler; once its token fires, gives it <see cref="JobEngineOptions.CancelGrace"/>
    /// to stop, then abandons it so a handler that ignores its token cannot hold the slot forever.</summary>
    private async Task WaitWithGraceAsync(Task task, CancellationToken jobToken)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = jobToken.Register(() => cancelled.TrySetResult());
        var first = await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false);
        if (first == task)
        {
            await task.ConfigureAwait(false);
            return;
        }

        var graceOver = Task.Delay(options.CancelGrace, time);
        if (await Task.WhenAny(task, graceOver).ConfigureAwait(false) == task)
        {
            await task.ConfigureAwait(false);
            return;
        }

        logger.LogError("A handler ignored its cancellation for {Grace}; its slot is freed and the attempt ends without it", options.CancelGrace);
        throw new OperationCanceledException("The handler did not stop within the cancellation grace period.", jobToken);
    }

    private TimeSpan Backoff(FetchedJob job, RetryPolicy policy) => policy.NextDelay(job.Attempt, jitter());

    private JobError Error(Activity? activity, FetchedJob job, string type, string message, Exception? exception)
    {
        JobTracing.Fail(activity, type, message, exception);
        return new()
        {
            Attempt = job.Attempt,
            At = time.GetUtcNow(),
            Worker = workerId,
            Type = type,
            Message = message,
            Stack = exception?.ToString() is { } s && s.Length > MaxStackChars ? s[..MaxStackChars] : exception?.ToString(),
        };
    }
}
