using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// Holds one connection that LISTENs for inserts (payload: queue, or *queue from the stager) and cancellation
/// requests (payload: job id). Reconnects with backoff after a failure; on every connect and disconnect it wakes
/// all queues, since notifications sent while it was away are lost and queues poll faster while it is away.
/// </summary>
internal sealed class NotificationListener(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
    Action<string, bool> onInsert,
    Action<Guid> onCancel,
    Action onConnectionChanged,
    ILogger logger)
{
    private volatile bool _listening;

    /// <summary>Whether notifications are arriving now; when not, queues poll at the short interval.</summary>
    public bool Listening => _listening;

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
                _listening = true;
                onConnectionChanged();
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
                if (_listening)
                {
                    // Wake everyone so that queues switch to the short poll interval at once.
                    _listening = false;
                    onConnectionChanged();
                }

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
            // "queue": new jobs at the tail; "*queue": jobs that may sort before a fetch cursor.
            var behind = payload.StartsWith('*');
            onInsert(behind ? payload[1..] : payload, behind);
        }
        else if (channel == sql.CancelChannel && Guid.TryParse(payload, out var id))
        {
            onCancel(id);
        }
    }
}
