using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.HandOff;
using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Heartbeat;

/// <summary>
/// Keeps this worker's row fresh so the leader knows its running jobs are in good hands, and in the same
/// statement takes or extends the maintenance lease when this worker is a candidate. While jobs run here, it
/// also checks each second for cancellation requests whose NOTIFY was missed (or that poll-only mode never gets).
/// With direct hand-off on, each heartbeat also finds the jobs handed to this worker whose notification was lost,
/// and <paramref name="recover"/> starts them.
/// </summary>
internal sealed class WorkerHeartbeat(
    WorkerStore store,
    HandOffStore handOffStore,
    JobEngineOptions options,
    string workerId,
    RunningJobs running,
    HandOffReceiver? handOffs,
    Action<IReadOnlyList<FetchedJob>> recover,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The lease row's name.</summary>
    public const string MaintenanceRole = "maintenance";

    private static readonly TimeSpan CancelPollInterval = TimeSpan.FromSeconds(1);

    private volatile bool _isLeader;

    /// <summary>Whether this worker held the maintenance lease at its last heartbeat.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>Registers or refreshes this worker and renews its candidacy; returns whether it leads.</summary>
    public async Task<bool> BeatAsync(CancellationToken ct)
    {
        var queues = options.Queues.Keys.Order(StringComparer.Ordinal).ToArray();
        var checkedAt = time.GetTimestamp();
        var (leads, handed, stale) = await store.BeatAsync(Environment.MachineName, Environment.ProcessId, queues,
            queues.Select(q => options.Queues[q]).ToArray(), options.RunMaintenance ? MaintenanceRole : null,
            options.Tuning.LeaderLease, HandOffReceiver.LostAfter, ct).ConfigureAwait(false);
        var lost = handOffs?.FindLost(handed.ToHashSet(), stale, checkedAt) ?? [];

        SetLeader(leads);
        if (lost.Count > 0)
        {
            await RecoverAsync(lost, ct).ConfigureAwait(false);
        }

        return leads;
    }

    /// <summary>Gives the lease up, if held, so another worker takes over at once; then removes the worker row.</summary>
    public async Task ResignAndUnregisterAsync(CancellationToken ct)
    {
        if (_isLeader)
        {
            _isLeader = false;
            await store.ResignAsync(MaintenanceRole, ct).ConfigureAwait(false);
        }

        await store.UnregisterAsync(ct).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var nextBeat = time.GetUtcNow() + options.Tuning.HeartbeatInterval;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CancelPollInterval < options.Tuning.HeartbeatInterval ? CancelPollInterval : options.Tuning.HeartbeatInterval, time, stop).ConfigureAwait(false);
                if (time.GetUtcNow() >= nextBeat)
                {
                    await BeatAsync(stop).ConfigureAwait(false);
                    nextBeat = time.GetUtcNow() + options.Tuning.HeartbeatInterval;
                }

                if (running.Count > 0)
                {
                    await PollCancellationsAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Unsure whether the lease was renewed: stop maintaining until a heartbeat says so, so that two
                // workers never both believe they lead.
                SetLeader(false);
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "heartbeat"));
                logger.LogWarning("Heartbeat of worker {WorkerId} failed: {Error}", workerId, e.Message);
            }
        }
    }

    private void SetLeader(bool leads)
    {
        if (leads != _isLeader)
        {
            _isLeader = leads;
            logger.LogInformation(leads ? "Worker {WorkerId} is now the maintenance leader" : "Worker {WorkerId} is no longer the maintenance leader", workerId);
        }
    }

    private async Task RecoverAsync(List<Guid> lost, CancellationToken ct)
    {
        recover(await handOffStore.RecoverAsync(lost.ToArray(), workerId, ct).ConfigureAwait(false));
    }

    private async Task PollCancellationsAsync(CancellationToken ct)
    {
        foreach (var id in await store.CancelRequestsAsync(ct).ConfigureAwait(false))
        {
            running.RequestCancel(id);
        }
    }
}
