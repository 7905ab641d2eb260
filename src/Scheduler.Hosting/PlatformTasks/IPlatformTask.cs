namespace JobPlatform.Scheduler.Hosting;

/// <summary>
/// A periodic platform task the scheduler cluster runs on exactly one replica at a time, outside the job
/// queue (so a backlog cannot delay it): recurring-trigger synchronisation and alert evaluation.
/// Register with <see cref="JobPlatformSchedulerExtensions.AddPlatformTask{TTask}"/>.
/// </summary>
public interface IPlatformTask
{
    /// <summary>Stable name, the Quartz job name in group <c>platform</c>.</summary>
    string Name { get; }

    /// <summary>Time between runs. A run that overruns delays the next; missed runs are not made up.</summary>
    TimeSpan Interval { get; }

    /// <summary>One run. Exceptions are logged and counted; the next run happens on schedule.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
