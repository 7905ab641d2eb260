using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// Holds one connection that LISTENs for inserts (payload: queue) and cancellation requests (payload: job id).
/// Reconnects with backoff after a failure; after every (re)connect it wakes all queues, since notifications
/// sent while it was away are lost and the fallback poll would otherwise be the only cover.
/// </summary>
internal sealed class NotificationListener(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
    Action<string> onInsert,
    Action<Guid> onCancel,
    Action onConnected,
    ILogger logger)
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                await using (var listen = DbCommands.Create(connection, $"LISTEN \"{sql.InsertChannel}\"; LISTEN \"{sql.CancelChannel}\""))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                delay = TimeSpan.FromMilliseconds(250);
                onConnected();
                while (!stop.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(KeepAliveInterval, stop).ConfigureAwait(false))
                    {
                        // Quiet for a while: prove the connection is still alive.
                        await using var ping = DbCommands.Create(connection, "SELECT 1");
                        await ping.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "listener"));
                logger.LogWarning("Listening for notifications failed ({Error}); reconnecting in {Delay}, polling meanwhile", e.Message, delay);
                try
                {
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    private void Dispatch(string channel, string payload)
    {
        if (channel == sql.InsertChannel)
        {
            onInsert(payload);
        }
        else if (channel == sql.CancelChannel && Guid.TryParse(payload, out var id))
        {
            onCancel(id);
        }
    }
}
