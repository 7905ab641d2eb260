using Microsoft.Extensions.Logging;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>Runs the <see cref="IPlatformTask"/> its job is named after; never two runs of one task at once in the cluster.</summary>
[DisallowConcurrentExecution]
internal sealed class PlatformTaskJob(IEnumerable<IPlatformTask> tasks, ILogger<PlatformTaskJob> logger) : IJob
{
    /// <summary>The Quartz group of platform tasks.</summary>
    public const string Group = "platform";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.JobDetail.Key.Name;
        var task = tasks.FirstOrDefault(t => t.Name == name);
        if (task is null)
        {
            // A replica of a newer build registered it; that replica runs it.
            logger.LogDebug("Platform task {Task} is not registered in this replica", name);
            return;
        }

        try
        {
            await task.RunAsync(cancellationToken).ConfigureAwait(false);
            SchedulerMetrics.PlatformTaskRuns.Add(1, new("task", name), new("outcome", "ok"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            SchedulerMetrics.PlatformTaskRuns.Add(1, new("task", name), new("outcome", "failed"));
            logger.LogError(e, "Platform task {Task} failed; it runs again in {Interval}", name, task.Interval);
        }
    }
}
