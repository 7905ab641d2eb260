using System.Diagnostics.Metrics;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>The scheduler's instruments (exported on <c>/metrics</c>).</summary>
internal static class SchedulerMetrics
{
    public static readonly Meter Meter = new("JobPlatform.Scheduler");

    public static readonly Counter<long> Fires = Meter.CreateCounter<long>(
        "jobplatform.recurring.fires", description: "Recurring fires, by schedule and outcome (enqueued, duplicate, skipped, paused, notfound, failed).");

    public static readonly Counter<long> PlatformTaskRuns = Meter.CreateCounter<long>(
        "jobplatform.platform_task.runs", description: "Platform task runs on this replica, by task and outcome (ok, failed).");
}
