using System.Diagnostics;
using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// The fetch loop of one queue: leases as many jobs as there are free slots (up to the batch maximum) in one
/// statement, runs each on the thread pool, and hands outcomes to the completer. When the queue is drained it
/// sleeps until a NOTIFY for the queue wakes it (the leader's stager re-sends one every second while jobs wait),
/// or until its own poll: <see cref="JobEngineOptions.ListeningPollInterval"/> while notifications arrive,
/// <see cref="JobEngineOptions.PollInterval"/> when they cannot.
/// </summary>
internal sealed class QueueProcessor
{
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);

    /// <summary>Least time between leases from the head asked for by wake-ups.</summary>
    private static readonly TimeSpan MinHeadInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _queue;
    private readonly int _concurrency;
    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;
    private readonly JobEngineOptions _options;
    private readonly JobExecutor _executor;
    private readonly BatchCompleter _completer;
    private readonly string _workerId;
    private readonly Func<bool> _listening;
    private readonly HandOffs? _handOffs;
    private readonly Func<bool> _canOffer;
    private readonly ILogger _logger;
    private readonly AsyncSignal _workAvailable = new();
    private readonly AsyncSignal _capacityFreed = new();
    private readonly KeyValuePair<string, object?> _queueTag;
    private int _inFlight;
    private FetchCursor _cursor = FetchCursor.Head;
    private long _lastHeadFetch;
    private volatile bool _headWanted;
    private volatile bool _drained;
    private volatile bool _accepting;
    private volatile int _cursorPriority = -1;
    private volatile bool _waitingForWork;
    private ConnectionLoan? _loan;
    private int _offered;
    private int _wakeForWork;

    public QueueProcessor(string queue, int concurrency, NpgsqlDataSource dataSource, SqlCatalog sql, JobEngineOptions options,
        JobExecutor executor, BatchCompleter completer, string workerId, Func<bool> listening, HandOffs? handOffs, Func<bool> canOffer,
        ILogger logger)
    {
        (_queue, _concurrency, _dataSource, _sql, _options, _executor, _completer, _workerId, _listening, _handOffs, _canOffer, _logger) =
            (queue, concurrency, dataSource, sql, options, executor, completer, workerId, listening, handOffs, canOffer, logger);
        _queueTag = new("queue", queue);
    }

    public string Queue => _queue;

    /// <summary>The worker jobs of this queue are leased to.</summary>
    public string WorkerId => _workerId;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Wakes the loop: new jobs may be available (NOTIFY, resume, reconnect).</summary>
    /// <param name="mayBeBehindCursor">The jobs may sort before this worker's fetch cursor (promoted jobs keep
    /// their old scheduled_at), so the next lease should start from the head.</param>
    public void Wake(bool mayBeBehindCursor = false)
    {
        // A cursor past priority 0 cannot see a new job of a higher priority either.
        if (mayBeBehindCursor || _cursorPriority > 0)
        {
            _headWanted = true;
        }

        // Jobs from elsewhere are waiting: local hand-offs would overtake them until the next fetch. Signalled
        // first, so that a fetch ending now cannot mark the queue empty after this line.
        Volatile.Write(ref _wakeForWork, 1);
        _workAvailable.Set();
        _drained = false;
    }

    /// <summary>
    /// Takes a slot for a job that a client in this process is about to insert already leased to this worker
    /// (see <c>JobClient.UseLocalEngine</c>): only while the queue's last fetch found it empty and no wake-up
    /// has come since (so the job overtakes nobody), a slot is free besides one offered to producers, and the engine is not stopping. The caller
    /// must then call <see cref="RunReserved"/> or <see cref="CancelReservation"/>.
    /// </summary>
    public bool TryReserve()
    {
        if (!_accepting || !_drained)
        {
            return false;
        }

        for (var n = Volatile.Read(ref _inFlight); n < _concurrency; n = Volatile.Read(ref _inFlight))
        {
            if (Interlocked.CompareExchange(ref _inFlight, n + 1, n) == n)
            {
                // A slot offered to producers may be taken any moment (OfferSlotAsync checks in the other order).
                if (Volatile.Read(ref _offered) == 1 && n + 1 >= _concurrency)
                {
                    Interlocked.Decrement(ref _inFlight);
                    return false;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Runs a job inserted into a reserved slot, as if fetched; once the engine is stopping it is
    /// released instead (back to available, its attempt given back), as the shutdown does with others.</summary>
    public void RunReserved(FetchedJob job)
    {
        EngineMetrics.InFlight.Add(1, _queueTag);
        EngineMetrics.LocalHandOffs.Add(1, _queueTag);
        _ = RunJobAsync(job, release: !_accepting);
    }

    /// <summary>
    /// Runs a job a producer handed to this worker's slot offer (already leased here), as if fetched; once the
    /// engine is stopping it is released instead. The offer is used up: the loop offers the next free slot.
    /// </summary>
    public void AcceptHandOff(FetchedJob job, bool recovered = false)
    {
        // A recovered job used an offer long gone; the one out now, if any, still stands.
        if (!recovered)
        {
            Volatile.Write(ref _offered, 0);
        }

        Interlocked.Increment(ref _inFlight);
        EngineMetrics.InFlight.Add(1, _queueTag);
        (recovered ? EngineMetrics.HandOffsRecovered : EngineMetrics.HandOffs).Add(1, _queueTag);
        _ = RunJobAsync(job, release: !_accepting);
        _workAvailable.Set();
    }

    /// <summary>Gives back a reserved slot whose job was not inserted as leased.</summary>
    public void CancelReservation()
    {
        Interlocked.Decrement(ref _inFlight);
        _capacityFreed.Set();
    }

    /// <summary>
    /// Takes the listener's connection for the next lease, if this loop is idle and waiting for work (the
    /// notification that comes with the loan is about to wake it); false otherwise. A loan not taken is withdrawn
    /// by the listener.
    /// </summary>
    public bool TryLend(ConnectionLoan loan) =>
        _waitingForWork && Interlocked.CompareExchange(ref _loan, loan, null) is null;

    /// <summary>Accept reservations from now on (the engine has started).</summary>
    public void StartAccepting() => _accepting = true;

    /// <summary>Refuse reservations from now on (the engine is stopping).</summary>
    public void StopAccepting() => _accepting = false;

    /// <summary>Fetches until <paramref name="stopFetching"/> fires. Jobs already started keep running.</summary>
    public async Task RunAsync(CancellationToken stopFetching)
    {
        var drained = false;
        var hotUntil = 0L;
        var errorDelay = TimeSpan.FromMilliseconds(200);
        var worthwhile = Math.Max(1, Math.Min(_concurrency, _options.FetchBatchMax) / 4);
        while (!stopFetching.IsCancellationRequested)
        {
            try
            {
                if (_concurrency - InFlight <= 0)
                {
                    await _capacityFreed.WaitAsync(stopFetching).ConfigureAwait(false);
                    continue;
                }

                if (drained)
                {
                    await OfferSlotAsync().ConfigureAwait(false);
                    var wait = Stopwatch.GetTimestamp() < hotUntil ? _options.HotPollInterval
                        : _listening() ? _options.ListeningPollInterval : _options.PollInterval;
                    bool woken;
                    _waitingForWork = true;
                    try
                    {
                        woken = await _workAvailable.WaitAsync(wait, stopFetching).ConfigureAwait(false);
                    }
                    finally
                    {
                        _waitingForWork = false;
                    }

                    if (woken)
                    {
                        if (Interlocked.Exchange(ref _wakeForWork, 0) == 0)
                        {
                            // Woken by a hand-off that used the offer: offer the next free slot, fetch nothing.
                            continue;
                        }

                        hotUntil = Stopwatch.GetTimestamp() + (long)(_options.HotPollWindow.TotalSeconds * Stopwatch.Frequency);
                    }
                }
                else
                {
                    await GatherCapacityAsync(worthwhile, stopFetching).ConfigureAwait(false);
                }

                var limit = Math.Min(_concurrency - InFlight, _options.FetchBatchMax);
                var from = FromHeadNow() ? FetchCursor.Head : _cursor;
                var before = _cursor;

                // Not cancellable: the lease commits with the statement, so a fetch cut off while reading
                // its rows would leave leased jobs that nobody runs until the rescuer finds them.
                _drained = false;
                var jobs = await FetchAsync(limit, from, TakeLoan(), CancellationToken.None).ConfigureAwait(false);
                EngineMetrics.FetchBatchSize.Record(jobs.Count, _queueTag);
                var foundBehind = false;
                foreach (var job in jobs)
                {
                    var position = FetchCursor.Of(job);
                    foundBehind |= FetchCursor.Compare(position, before) < 0;
                    _cursor = FetchCursor.Max(_cursor, position);
                    Interlocked.Increment(ref _inFlight);
                    EngineMetrics.InFlight.Add(1, _queueTag);
                    _ = RunJobAsync(job);
                }

                _cursorPriority = _cursor.Priority;
                // A full lease from the head that found jobs behind the cursor: there may be more of them. An empty
                // lease from the cursor after a wake-up: what woke us may sort before it (an old scheduled_at).
                if ((from.IsHead && foundBehind && jobs.Count == limit) || (!from.IsHead && jobs.Count == 0))
                {
                    _headWanted = true;
                }

                drained = jobs.Count < limit;
                _drained = drained && !_workAvailable.IsSet;

                if (jobs.Count > 0)
                {
                    hotUntil = Stopwatch.GetTimestamp() + (long)(_options.HotPollWindow.TotalSeconds * Stopwatch.Frequency);
                }
                errorDelay = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stopFetching.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "fetch"));
                _logger.LogWarning("Fetching from queue {Queue} failed ({Error}); retrying in {Delay}", _queue, e.Message, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, stopFetching).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Whether this lease starts from the head rather than the cursor: at least every
    /// <see cref="JobEngineOptions.FetchRescanInterval"/>, and when asked (jobs may sort before the cursor) at most
    /// every <see cref="MinHeadInterval"/>, since a lease from the head walks every dead index entry before the cursor.
    /// </summary>
    private bool FromHeadNow()
    {
        var now = Stopwatch.GetTimestamp();
        var sinceHead = now - _lastHeadFetch;
        var fromHead = _cursor.IsHead
            || sinceHead >= (long)(_options.FetchRescanInterval.TotalSeconds * Stopwatch.Frequency)
            || (_headWanted && sinceHead >= (long)(MinHeadInterval.TotalSeconds * Stopwatch.Frequency));
        if (fromHead)
        {
            _headWanted = false;
            _lastHeadFetch = now;
        }

        return fromHead;
    }

    /// <summary>
    /// The queue has a backlog: wait until <paramref name="worthwhile"/> slots are free, or until the first free
    /// slot has waited <see cref="JobEngineOptions.FetchCooldown"/>, so a busy queue leases in real batches.
    /// </summary>
    private async Task GatherCapacityAsync(int worthwhile, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.FetchCooldown.TotalSeconds * Stopwatch.Frequency);
        while (_concurrency - InFlight < worthwhile)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            await _capacityFreed.WaitAsync(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Offers one free slot of this idle queue to producers (migration 0008), unless one is out already, hand-offs
    /// cannot reach this worker now (not listening, lock not held) or the engine is stopping.
    /// </summary>
    private async Task OfferSlotAsync()
    {
        if (_handOffs is null || !_accepting || Volatile.Read(ref _offered) == 1 || !_canOffer())
        {
            return;
        }

        // Set first: a producer may take the offer, and its job arrive, before this statement returns. If the
        // statement fails, whether the offer was written is unknown: the flag stays, and the next fetch withdraws it.
        // Set before the capacity is read, as TryReserve takes a slot before it reads the flag: one sees the other.
        Interlocked.Exchange(ref _offered, 1);
        if (_concurrency - InFlight <= 0)
        {
            Interlocked.Exchange(ref _offered, 0);
            return;
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["offer_slot"], _queue, _workerId, _handOffs.LockKey, _handOffs.Channel);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Completes when no job of this queue is running here any more.</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (InFlight > 0)
        {
            await _capacityFreed.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The listener's connection if it was lent for this fetch and is still on offer.</summary>
    private ConnectionLoan? TakeLoan() => Interlocked.Exchange(ref _loan, null) is { } loan && loan.TryTake() ? loan : null;

    private async Task<List<FetchedJob>> FetchAsync(int limit, FetchCursor after, ConnectionLoan? loan, CancellationToken ct)
    {
        try
        {
            var connection = loan is null ? null : await loan.ConnectionAsync().ConfigureAwait(false);
            if (connection is not null)
            {
                EngineMetrics.ListenerLeases.Add(1, _queueTag);
            }

            return await FetchAsync(limit, after, connection, ct).ConfigureAwait(false);
        }
        finally
        {
            loan?.Return();
        }
    }

    private async Task<List<FetchedJob>> FetchAsync(int limit, FetchCursor after, NpgsqlConnection? connection, CancellationToken ct)
    {
        // The offer goes with this statement whether or not a producer took it; see fetch_jobs.sql.
        var offered = Interlocked.Exchange(ref _offered, 0) == 1;
        object?[] args = [_queue, limit, _workerId,
            after.Priority, DbCommands.Typed(after.IsHead ? DateTime.MinValue : after.ScheduledAt.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz), after.Id,
            DbCommands.Typed(_options.AsyncCommit ? "off" : null, NpgsqlTypes.NpgsqlDbType.Text), offered];
        await using var cmd = connection is null
            ? DbCommands.Create(_dataSource, _sql["fetch_jobs"], args)
            : DbCommands.Create(connection, _sql["fetch_jobs"], args);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<FetchedJob>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(FetchedJob.Read(reader));
        }

        return jobs;
    }

    private async Task RunJobAsync(FetchedJob job, bool release = false)
    {
        try
        {
            var outcome = release ? JobStateMachine.Released(job) : await _executor.ExecuteAsync(job).ConfigureAwait(false);
            EngineMetrics.JobsFinished.Add(1, _queueTag, new("kind", job.Kind), new("outcome", outcome.Label));
            await _completer.AddAsync(outcome).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a completer that stopped accepting can land here; the job stays running and is rescued.
            _logger.LogError(e, "Could not record the outcome of job {JobId}; it will be rescued and run again", job.Id);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            EngineMetrics.InFlight.Add(-1, _queueTag);
            _capacityFreed.Set();
            if (_handOffs is not null && _waitingForWork && Volatile.Read(ref _offered) == 0)
            {
                // An idle loop with no offer out (a full queue could not offer): offer the slot just freed.
                _workAvailable.Set();
            }
        }
    }
}
