using JobPlatform.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Runs on every worker but does work only on the elected leader: promotes due jobs, rescues jobs of lost
/// workers and prunes finished jobs, each on its own interval.
/// </summary>
internal sealed class MaintenanceLoop(
    LeaderElector elector,
    JobPromoter promoter,
    JobRescuer rescuer,
    JobPruner pruner,
    JobEngineOptions options,
    ILogger logger)
{
    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    public async Task RunAsync(CancellationToken stop)
    {
        var electEvery = options.LeaderLease / 3;
        var tick = Min(options.PromoteInterval, electEvery);
        DateTime nextElect = default, nextPromote = default, nextRescue = default, nextPrune = default;
        while (!stop.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            try
            {
                if (now >= nextElect)
                {
                    var was = _isLeader;
                    _isLeader = await elector.TryElectAsync(stop).ConfigureAwait(false);
                    nextElect = now + electEvery;
                    if (_isLeader != was)
                    {
                        logger.LogInformation(_isLeader ? "This worker is now the maintenance leader" : "This worker lost maintenance leadership");
                    }
                }

                if (_isLeader)
                {
                    nextPromote = await RunDueAsync(now, nextPromote, options.PromoteInterval, "promote", promoter.RunOnceAsync, stop).ConfigureAwait(false);
                    nextRescue = await RunDueAsync(now, nextRescue, options.RescueInterval, "rescue", rescuer.RunOnceAsync, stop).ConfigureAwait(false);
                    nextPrune = await RunDueAsync(now, nextPrune, options.PruneInterval, "prune", pruner.RunOnceAsync, stop).ConfigureAwait(false);
                }

                await Task.Delay(tick, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _isLeader = false;
                nextElect = default;
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "maintenance"));
                logger.LogWarning("Maintenance failed ({Error}); retrying", e.Message);
                try
                {
                    await Task.Delay(tick, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Gives up leadership, if held, so another worker takes over at once.</summary>
    public async Task ResignAsync(CancellationToken ct)
    {
        if (_isLeader)
        {
            _isLeader = false;
            await elector.ResignAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task<DateTime> RunDueAsync(DateTime now, DateTime due, TimeSpan interval, string name, Func<CancellationToken, Task<int>> run, CancellationToken ct)
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
