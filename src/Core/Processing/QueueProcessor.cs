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
    private readonly SlotOfferLedger _offers;
    private volatile bool _reservesLocally;
    private int _wakeForWork;

    public QueueProcessor(string queue, int concurrency, NpgsqlDataSource dataSource, SqlCatalog sql, JobEngineOptions options,
        JobExecutor executor, BatchCompleter completer, string workerId, Func<bool> listening, HandOffs? handOffs, Func<bool> canOffer,
        ILogger logger)
    {
        (_queue, _concurrency, _dataSource, _sql, _options, _executor, _completer, _workerId, _listening, _handOffs, _canOffer, _logger) =
            (queue, concurrency, dataSource, sql, options, executor, completer, workerId, listening, handOffs, canOffer, logger);
        _queueTag = new("queue", queue);
        // By then a handed job has arrived, or the heartbeat has found it lost and started it.
        _offers = new SlotOfferLedger(HandOffs.LostAfter + 2 * options.HeartbeatInterval);
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
    /// has come since (so the job overtakes nobody), a slot is free besides those offered to producers, and the
    /// engine is not stopping. Once a client reserves here, offers leave one slot for it. The caller must then call
    /// <see cref="RunReserved"/> or <see cref="CancelReservation"/>.
    /// </summary>
    public bool TryReserve()
    {
        _reservesLocally = true;
        if (!_accepting || !_drained)
        {
            return false;
        }

        for (var n = Volatile.Read(ref _inFlight); n < _concurrency; n = Volatile.Read(ref _inFlight))
        {
            if (Interlocked.CompareExchange(ref _inFlight, n + 1, n) == n)
            {
                // Slots offered to producers may be taken any moment (OfferSlotsAsync counts in the other order).
                if (n + 1 + _offers.Outstanding > _concurrency)
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
    /// Runs a job a producer handed to a slot this worker offered (already leased here), as if fetched; once the
    /// engine is stopping it is released instead. Wakes the loop if it should offer more slots now.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="generation">The generation of the offer its slot came from, if the producer said.</param>
    /// <param name="recovered">Found by the heartbeat after its notification was lost: its slot is not known.</param>
    public void AcceptHandOff(FetchedJob job, long? generation, bool recovered = false)
    {
        // Counted as running before its slot leaves the ledger, so that a fetch in between counts it at least once.
        Interlocked.Increment(ref _inFlight);
        if (!recovered)
        {
            _offers.Arrived(generation);
        }

        EngineMetrics.InFlight.Add(1, _queueTag);
        (recovered ? EngineMetrics.HandOffsRecovered : EngineMetrics.HandOffs).Add(1, _queueTag);
        _ = RunJobAsync(job, release: !_accepting);
        if (_offers.WantsTopUp(_concurrency, InFlight, KeepForLocal))
        {
            _workAvailable.Set();
        }
    }

    /// <summary>Slots offers leave unoffered: one once a client in this process has reserved here.</summary>
    private int KeepForLocal => _reservesLocally ? 1 : 0;

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
                // Jobs producers took slots for before the last withdrawal occupy those slots until they arrive.
                var inTransit = _offers.InTransit;
                if (_concurrency - InFlight - inTransit <= 0)
                {
                    // Slots in transit free up when their jobs arrive and finish, or when they expire unseen.
                    await _capacityFreed.WaitAsync(inTransit > 0 ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan, stopFetching).ConfigureAwait(false);
                    continue;
                }

                if (drained)
                {
                    await OfferSlotsAsync().ConfigureAwait(false);
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
                            // Woken to offer more slots (a hand-off used some, or a job finished): fetch nothing.
                            continue;
                        }

                        hotUntil = Stopwatch.GetTimestamp() + (long)(_options.HotPollWindow.TotalSeconds * Stopwatch.Frequency);
                    }
                }
                else
                {
                    await GatherCapacityAsync(worthwhile, stopFetching).ConfigureAwait(false);
                }

                // The fetch withdraws the offer: its slots are counted before the running jobs are read (a job
                // arriving in between is then counted twice, which only leases one fewer).
                inTransit = _offers.InTransit;
                var withdrawal = _offers.BeginWithdrawal();
                var limit = Math.Min(_concurrency - InFlight - inTransit, _options.FetchBatchMax);
                var from = FromHeadNow() ? FetchCursor.Head : _cursor;
                var before = _cursor;

                // Not cancellable: the lease commits with the statement, so a fetch cut off while reading
                // its rows would leave leased jobs that nobody runs until the rescuer finds them.
                _drained = false;
                var (jobs, offersLeft) = await FetchAsync(limit, withdrawal.Slots, from, TakeLoan(), CancellationToken.None).ConfigureAwait(false);
                _offers.Withdrawn(withdrawal.Generation, offersLeft);
                var taken = Math.Max(0, withdrawal.Slots - offersLeft);
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

                drained = jobs.Count < limit - taken;
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
    /// Offers the free slots of this idle queue to producers (migrations 0008, 0009), or tops up the offer out,
    /// unless enough are offered already, hand-offs cannot reach this worker now (not listening, lock not held) or
    /// the engine is stopping.
    /// </summary>
    private async Task OfferSlotsAsync()
    {
        if (_handOffs is null || !_accepting || !_canOffer())
        {
            return;
        }

        // Counted first: a producer may take a slot, and its job arrive, before this statement returns. If the
        // statement fails, whether the slots were written is unknown: they stay counted, and the next fetch
        // withdraws them.
        var slots = _offers.TakeForOffer(_concurrency, () => InFlight, KeepForLocal, out var generation);
        if (slots == 0)
        {
            return;
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["offer_slot"], _queue, _workerId, _handOffs.LockKey, _handOffs.Channel, slots, generation);
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

    private async Task<(List<FetchedJob> Jobs, int OffersLeft)> FetchAsync(int limit, int offered, FetchCursor after, ConnectionLoan? loan, CancellationToken ct)
    {
        try
        {
            var connection = loan is null ? null : await loan.ConnectionAsync().ConfigureAwait(false);
            if (connection is not null)
            {
                EngineMetrics.ListenerLeases.Add(1, _queueTag);
            }

            return await FetchAsync(limit, offered, after, connection, ct).ConfigureAwait(false);
        }
        finally
        {
            loan?.Return();
        }
    }

    /// <summary>Leases up to <paramref name="limit"/> jobs less the slots producers took of the
    /// <paramref name="offered"/> ones the statement withdraws; returns them and the slots the offer still held.</summary>
    private async Task<(List<FetchedJob> Jobs, int OffersLeft)> FetchAsync(int limit, int offered, FetchCursor after, NpgsqlConnection? connection, CancellationToken ct)
    {
        object?[] args = [_queue, limit, _workerId,
            after.Priority, DbCommands.Typed(after.IsHead ? DateTime.MinValue : after.ScheduledAt.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz), after.Id,
            DbCommands.Typed(_options.AsyncCommit ? "off" : null, NpgsqlTypes.NpgsqlDbType.Text), offered];
        await using var cmd = connection is null
            ? DbCommands.Create(_dataSource, _sql["fetch_jobs"], args)
            : DbCommands.Create(connection, _sql["fetch_jobs"], args);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<FetchedJob>();
        var offersLeft = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            offersLeft = reader.GetInt32(FetchedJob.Columns);
            // With no job leased, the one row carries only the offer's count.
            if (!reader.IsDBNull(0))
            {
                jobs.Add(FetchedJob.Read(reader));
            }
        }

        return (jobs, offersLeft);
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
            if (_handOffs is not null && _waitingForWork && _offers.WantsTopUp(_concurrency, InFlight, KeepForLocal))
            {
                // An idle loop whose offer is short of its free slots: offer the slot just freed.
                _workAvailable.Set();
            }
        }
    }
}
