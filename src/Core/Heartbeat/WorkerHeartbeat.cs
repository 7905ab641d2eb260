using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.HandOff;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Heartbeat;

/// <summary>
/// Keeps this worker's row fresh so the leader knows its running jobs are in good hands, and in the same
/// statement takes or extends the maintenance lease when this worker is a candidate. While jobs run here, it
/// also checks each second for cancellation requests whose NOTIFY was missed (or that poll-only mode never gets).
/// With direct hand-off on, each heartbeat also finds the jobs handed to this worker whose notification was lost,
/// and <paramref name="recover"/> starts them.
/// </summary>
internal sealed class WorkerHeartbeat(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
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
        await using var cmd = DbCommands.Create(dataSource, sql["heartbeat"], workerId, Environment.MachineName, Environment.ProcessId,
            queues,
            DbCommands.Typed(options.RunMaintenance ? MaintenanceRole : null, NpgsqlTypes.NpgsqlDbType.Text),
            (long)options.Tuning.LeaderLease.TotalMilliseconds,
            queues.Select(q => options.Queues[q]).ToArray(),
            (long)HandOffReceiver.LostAfter.TotalMilliseconds);
        var checkedAt = time.GetTimestamp();
        bool leads;
        List<Guid> lost;
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            leads = reader.GetBoolean(0);
            lost = handOffs?.FindLost(reader.GetFieldValue<Guid[]>(1).ToHashSet(), reader.GetFieldValue<Guid[]>(2), checkedAt) ?? [];
        }

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
            await using var resign = DbCommands.Create(dataSource, sql["resign_leader"], MaintenanceRole, workerId);
            await resign.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var cmd = DbCommands.Create(dataSource, sql["unregister_worker"], workerId);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
        var jobs = new List<FetchedJob>();
        await using (var cmd = DbCommands.Create(dataSource, sql["recover_handed_off"], lost.ToArray(), workerId))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                jobs.Add(FetchedJob.Read(reader));
            }
        }

        recover(jobs);
    }

    private async Task PollCancellationsAsync(CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(dataSource, sql["cancel_requests"], workerId);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            running.RequestCancel(reader.GetGuid(0));
        }
    }
}
