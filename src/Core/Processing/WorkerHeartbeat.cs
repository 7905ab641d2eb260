using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// Keeps this worker's row fresh so the leader knows its running jobs are in good hands, and, while jobs run
/// here, checks each second for cancellation requests whose NOTIFY was missed (or that poll-only mode never gets).
/// </summary>
internal sealed class WorkerHeartbeat(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
    JobEngineOptions options,
    string workerId,
    RunningJobs running,
    ILogger logger)
{
    private static readonly TimeSpan CancelPollInterval = TimeSpan.FromSeconds(1);

    public async Task RegisterAsync(CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(dataSource, sql["heartbeat"], workerId, Environment.MachineName, Environment.ProcessId,
            options.Queues.Keys.Order().ToArray());
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task UnregisterAsync(CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(dataSource, sql["unregister_worker"], workerId);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var nextBeat = DateTime.UtcNow + options.HeartbeatInterval;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CancelPollInterval < options.HeartbeatInterval ? CancelPollInterval : options.HeartbeatInterval, stop).ConfigureAwait(false);
                if (DateTime.UtcNow >= nextBeat)
                {
                    await RegisterAsync(stop).ConfigureAwait(false);
                    nextBeat = DateTime.UtcNow + options.HeartbeatInterval;
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
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "heartbeat"));
                logger.LogWarning("Heartbeat of worker {WorkerId} failed: {Error}", workerId, e.Message);
            }
        }
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
