using JobPlatform.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Runs on every worker but does work only while this worker holds the maintenance lease (renewed by its
/// heartbeat): stages due jobs and wakes queues, rescues jobs of lost workers and prunes finished jobs, each on
/// its own interval. A worker that does not lead sends no maintenance queries at all.
/// </summary>
internal sealed class MaintenanceLoop(
    Func<bool> isLeader,
    JobStager stager,
    JobRescuer rescuer,
    JobPruner pruner,
    JobEngineOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stop)
    {
        DateTimeOffset nextStage = default, nextRescue = default, nextPrune = default;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (isLeader())
                {
                    var now = time.GetUtcNow();
                    nextStage = await RunDueAsync(now, nextStage, options.Tuning.PromoteInterval, "promote", stager.RunOnceAsync, stop).ConfigureAwait(false);
                    nextRescue = await RunDueAsync(now, nextRescue, options.Tuning.RescueInterval, "rescue", rescuer.RunOnceAsync, stop).ConfigureAwait(false);
                    nextPrune = await RunDueAsync(now, nextPrune, options.Tuning.PruneInterval, "prune", pruner.RunOnceAsync, stop).ConfigureAwait(false);
                }

                await Task.Delay(options.Tuning.PromoteInterval, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "maintenance"));
                logger.LogWarning("Maintenance failed ({Error}); retrying", e.Message);
                try
                {
                    await Task.Delay(options.Tuning.PromoteInterval, time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<DateTimeOffset> RunDueAsync(DateTimeOffset now, DateTimeOffset due, TimeSpan interval, string name, Func<CancellationToken, Task<int>> run, CancellationToken ct)
    {
        if (now < due)
        {
            return due;
        }

        var count = await run(ct).ConfigureAwait(false);
        if (count > 0)
        {
            logger.LogInformation("Maintenance {Task}: {Count} jobs", name, count);
        }

        return now + interval;
    }
}
