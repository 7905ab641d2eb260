using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>Ready while this replica's Quartz scheduler runs in the cluster (not before start, not once shutting down).</summary>
internal sealed class SchedulerReadyCheck(ISchedulerFactory schedulerFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"scheduler {scheduler.SchedulerInstanceId} running")
            : HealthCheckResult.Unhealthy($"scheduler {scheduler.Status}: not started or shutting down");
    }
}
