using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// Holds one connection that LISTENs for inserts (payload: queue, or *queue from the stager) and cancellation
/// requests (payload: job id). Reconnects with backoff after a failure; on every connect and disconnect it wakes
/// all queues, since notifications sent while it was away are lost and queues poll faster while it is away.
/// The first queue an insert notification wakes from idle may lease on this connection (<see cref="ConnectionLoan"/>):
/// <paramref name="lend"/> hands the loan to the queue's fetch loop if it is waiting for work.
/// With <paramref name="handOffs"/>, it also listens on this worker's hand-off channel and holds the advisory
/// lock that makes the worker's slot offers live while this connection lasts.
/// </summary>
internal sealed class NotificationListener(
    NpgsqlDataSource dataSource,
    SqlCatalog sql,
    Action<string, bool> onInsert,
    Action<Guid> onCancel,
    Action onConnectionChanged,
    Func<string, ConnectionLoan, bool> lend,
    HandOffs? handOffs,
    Action<string> onHandOff,
    ILogger logger)
{
    /// <summary>How long a lent connection waits for its fetch loop to take it before listening again.</summary>
    internal static readonly TimeSpan LoanTakeWithin = TimeSpan.FromMilliseconds(5);

    private volatile bool _listening;
    private volatile bool _handOffReady;

    // Set only while the listener is inside WaitAsync (notifications are dispatched on its thread then).
    private bool _waiting;
    private ConnectionLoan? _loan;

    /// <summary>Whether notifications are arriving now; when not, queues poll at the short interval.</summary>
    public bool Listening => _listening;

    /// <summary>Whether hand-offs can reach this worker now: listening on its channel, holding its lock.</summary>
    public bool HandOffReady => _listening && _handOffReady;

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
                connection.Notification += (_, e) => Dispatch(connection, e.Channel, e.Payload);
                await using (var listen = DbCommands.Create(connection, $"LISTEN \"{sql.InsertChannel}\"; LISTEN \"{sql.CancelChannel}\""))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                if (handOffs is not null)
                {
                    // False only while an earlier connection of this listener lingers on the server holding it:
                    // no offers until a later connection gets it.
                    bool locked;
                    await using (var lockCommand = DbCommands.Create(connection, "SELECT pg_try_advisory_lock($1)", handOffs.LockKey))
                    {
                        locked = await lockCommand.ExecuteScalarAsync(stop).ConfigureAwait(false) is true;
                    }

                    await using (var listen = DbCommands.Create(connection, $"LISTEN \"{handOffs.Channel}\""))
                    {
                        await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }

                    _handOffReady = locked;
                }

                delay = TimeSpan.FromMilliseconds(250);
                _listening = true;
                onConnectionChanged();
                while (!stop.IsCancellationRequested)
                {
                    bool notified;
                    _waiting = true;
                    try
                    {
                        notified = await connection.WaitAsync(KeepAliveInterval, stop).ConfigureAwait(false);
                    }
                    finally
                    {
                        _waiting = false;
                    }

                    if (_loan is { } loan)
                    {
                        // The connection is free until the fetch gives it back; notifications it reads meanwhile
                        // are dispatched as usual (without a loan).
                        _loan = null;
                        loan.Open();
                        await loan.SettleAsync(LoanTakeWithin).ConfigureAwait(false);
                    }

                    if (!notified)
                    {
                        // Quiet for a while: prove the connection is still alive.
                        await using var ping = DbCommands.Create(connection, "SELECT 1");
                        await ping.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                CancelLoan();
                return;
            }
            catch (Exception e)
            {
                CancelLoan();
                _handOffReady = false;
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

    /// <summary>A read that announced a loan failed: a fetch that took it goes to the pool instead.</summary>
    private void CancelLoan()
    {
        _loan?.Cancel();
        _loan = null;
    }

    private void Dispatch(NpgsqlConnection connection, string channel, string payload)
    {
        if (channel == sql.InsertChannel)
        {
            // "queue": new jobs at the tail; "*queue": jobs that may sort before a fetch cursor.
            var behind = payload.StartsWith('*');
            var queue = behind ? payload[1..] : payload;
            // Announced before the wake-up, so that the woken loop finds it.
            if (_waiting && _loan is null)
            {
                var loan = new ConnectionLoan(connection);
                if (lend(queue, loan))
                {
                    _loan = loan;
                }
            }

            onInsert(queue, behind);
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
