using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.HandOff;
using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Notifications;

/// <summary>
/// Holds one connection that LISTENs for inserts (payload: queue, or *queue from the stager) and cancellation
/// requests (payload: job id). Reconnects with backoff after a failure; on every connect and disconnect it wakes
/// all queues, since notifications sent while it was away are lost and queues poll faster while it is away.
/// With a <see cref="HandOffReceiver"/>, it also listens on the worker's hand-off channel and holds the advisory
/// lock that makes the worker's slot offers live while this connection lasts.
/// </summary>
internal sealed class NotificationListener(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
    Action<string, bool> onInsert,
    Action<Guid> onCancel,
    Action onConnectionChanged,
    HandOffReceiver? handOffs,
    Action<string> onHandOff,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);
    private static readonly Backoff ReconnectBackoff = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

    private readonly ListenerStore _store = new(sql, handOffs?.Channel);
    private readonly Lock _lock = new();
    private volatile bool _listening;
    private volatile bool _handOffReady;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether notifications are arriving now; when not, queues poll at the short interval.</summary>
    public bool Listening => _listening;

    /// <summary>Whether hand-offs can reach this worker now: listening on its channel, holding its lock.</summary>
    public bool HandOffReady => _listening && _handOffReady;

    /// <summary>Completes once the listener is connected and listening (at once if it is now).</summary>
    public Task WhenListening
    {
        get
        {
            lock (_lock)
            {
                return _connected.Task;
            }
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                await _store.ListenAsync(connection, stop).ConfigureAwait(false);
                if (handOffs is not null)
                {
                    // False only while an earlier connection of this listener lingers on the server holding it:
                    // no offers until a later connection gets it.
                    var locked = await _store.TryLockHandOffAsync(connection, handOffs.LockKey, stop).ConfigureAwait(false);
                    await _store.ListenHandOffAsync(connection, stop).ConfigureAwait(false);
                    _handOffReady = locked;
                }

                failures = 0;
                SetListening(true);
                while (!stop.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(KeepAliveInterval, stop).ConfigureAwait(false))
                    {
                        // Quiet for a while: prove the connection is still alive.
                        await _store.PingAsync(connection, stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _handOffReady = false;
                SetListening(false);
                var delay = ReconnectBackoff.Delay(++failures);
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "listener"));
                logger.LogWarning("Listening for notifications failed ({Error}); reconnecting in {Delay}, polling meanwhile", e.Message, delay);
                try
                {
                    await Task.Delay(delay, time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Records a connect or disconnect and wakes every queue, which switch poll intervals at once.</summary>
    private void SetListening(bool listening)
    {
        lock (_lock)
        {
            if (_listening == listening)
            {
                return;
            }

            _listening = listening;
            if (listening)
            {
                _connected.TrySetResult();
            }
            else
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        onConnectionChanged();
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
        else if (handOffs is not null && channel == handOffs.Channel)
        {
            onHandOff(payload);
        }
    }
}
