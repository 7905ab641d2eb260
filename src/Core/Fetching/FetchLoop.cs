using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.HandOff;
using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;

namespace JobPlatform.Core.Fetching;

/// <summary>
/// The fetch loop of one queue: leases as many jobs as there are free slots (up to the batch maximum) in one
/// statement, runs each on the thread pool, and hands outcomes to the completer. When the queue is drained it
/// offers its free slots to producers (<see cref="SlotOffers"/>) and sleeps until a NOTIFY for the queue wakes it
/// (the leader's stager re-sends one every second while jobs wait), or until its own poll:
/// <see cref="JobEngineTuning.ListeningPollInterval"/> while notifications arrive,
/// <see cref="JobEngineOptions.PollInterval"/> when they cannot.
/// </summary>
internal sealed class FetchLoop
{
    /// <summary>Least time between leases from the head asked for by wake-ups.</summary>
    private static readonly TimeSpan MinHeadInterval = TimeSpan.FromMilliseconds(100);

    private static readonly Backoff ErrorBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    private readonly string _queue;
    private readonly int _concurrency;
    private readonly FetchStore _fetches;
    private readonly JobEngineOptions _options;
    private readonly JobExecutor _executor;
    private readonly BatchCompleter _completer;
    private readonly Func<bool> _listening;
    private readonly SlotOffers _offers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _workAvailable;
    private readonly AsyncSignal _capacityFreed;
    private readonly KeyValuePair<string, object?> _queueTag;
    private int _inFlight;
    private FetchCursor _cursor = FetchCursor.Head;
    private long _lastHeadFetch;
    private volatile bool _headWanted;
    private volatile bool _accepting;
    private volatile bool _idle;
    private volatile int _cursorPriority = -1;
    private int _wakeForWork;

    public FetchLoop(string queue, int concurrency, EngineParts parts, Func<bool> listening, SlotOffers offers)
    {
        (_queue, _concurrency, _listening, _offers) = (queue, concurrency, listening, offers);
        (_fetches, _options, _executor, _completer, _time, _logger) =
            (parts.Fetches, parts.Options, parts.Executor, parts.Completer, parts.Time, parts.Logger);
        _workAvailable = new AsyncSignal(_time);
        _capacityFreed = new AsyncSignal(_time);
        _queueTag = new("queue", queue);
    }

    public string Queue => _queue;

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

        Volatile.Write(ref _wakeForWork, 1);
        _workAvailable.Set();
    }

    /// <summary>
    /// Runs a job a producer handed to a slot this worker offered (already leased here), as if fetched; once the
    /// engine is stopping it is released instead. Wakes the loop if it should offer more slots now.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="generation">The generation of the offer its slot came from; null when the heartbeat found the
    /// job after its notification was lost (its slot has expired from the count by then).</param>
    public void AcceptHandOff(FetchedJob job, long? generation)
    {
        // Counted as running before its slot leaves the offers, so that a fetch in between counts it at least once.
        Interlocked.Increment(ref _inFlight);
        if (generation is { } g)
        {
            _offers.Arrived(g);
        }

        EngineMetrics.InFlight.Add(1, _queueTag);
        (generation is null ? EngineMetrics.HandOffsRecovered : EngineMetrics.HandOffs).Add(1, _queueTag);
        _ = RunJobAsync(job, release: !_accepting);
        if (_offers.WantsTopUp(_concurrency, InFlight))
        {
            _workAvailable.Set();
        }
    }

    /// <summary>Accept hand-offs from now on (the engine has started).</summary>
    public void StartAccepting() => _accepting = true;

    /// <summary>Release hand-offs from now on (the engine is stopping).</summary>
    public void StopAccepting() => _accepting = false;

    /// <summary>Fetches until <paramref name="stopFetching"/> fires. Jobs already started keep running.</summary>
    public async Task RunAsync(CancellationToken stopFetching)
    {
        var drained = false;
        var failures = 0;
        var worthwhile = Math.Max(1, Math.Min(_concurrency, _options.Tuning.FetchBatchMax) / 4);
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
                    await _offers.OfferAsync(_concurrency, () => InFlight).ConfigureAwait(false);
                    var woken = await WaitForWorkAsync(stopFetching).ConfigureAwait(false);
                    if (woken && Interlocked.Exchange(ref _wakeForWork, 0) == 0)
                    {
                        // Woken to offer more slots (a hand-off used some, or a job finished): fetch nothing.
                        continue;
                    }
                }
                else
                {
                    await GatherCapacityAsync(worthwhile, stopFetching).ConfigureAwait(false);
                }

                drained = await FetchOnceAsync().ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopFetching.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var delay = ErrorBackoff.Delay(++failures);
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "fetch"));
                _logger.LogWarning("Fetching from queue {Queue} failed ({Error}); retrying in {Delay}", _queue, e.Message, delay);
                try
                {
                    await Task.Delay(delay, _time, stopFetching).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Sleeps until a wake-up or the poll interval; true when woken.</summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken ct)
    {
        _idle = true;
        try
        {
            return await _workAvailable.WaitAsync(_listening() ? _options.Tuning.ListeningPollInterval : _options.PollInterval, ct).ConfigureAwait(false);
        }
        finally
        {
            _idle = false;
        }
    }

    /// <summary>Leases what the free slots allow and starts the jobs; returns whether the queue is drained.</summary>
    private async Task<bool> FetchOnceAsync()
    {
        // The fetch withdraws the offer: its slots are counted before the running jobs are read (a job arriving
        // in between is then counted twice, which only leases one fewer).
        var inTransit = _offers.InTransit;
        var withdrawal = _offers.BeginWithdrawal();
        var limit = Math.Min(_concurrency - InFlight - inTransit, _options.Tuning.FetchBatchMax);
        var from = FromHeadNow() ? FetchCursor.Head : _cursor;
        var before = _cursor;

        var (jobs, offersLeft) = await _fetches.FetchAsync(_queue, limit, from, withdrawal.Slots).ConfigureAwait(false);
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
        // A full lease from the head that found jobs behind the cursor: there may be more of them. An empty lease
        // from the cursor after a wake-up: what woke us may sort before it (an old scheduled_at).
        if ((from.IsHead && foundBehind && jobs.Count == limit) || (!from.IsHead && jobs.Count == 0))
        {
            _headWanted = true;
        }

        return jobs.Count < limit - taken;
    }

    /// <summary>
    /// Whether this lease starts from the head rather than the cursor: at least every
    /// <see cref="JobEngineTuning.FetchRescanInterval"/>, and when asked (jobs may sort before the cursor) at most
    /// every <see cref="MinHeadInterval"/>, since a lease from the head walks every dead index entry before the cursor.
    /// </summary>
    private bool FromHeadNow()
    {
        var now = _time.GetTimestamp();
        var sinceHead = _time.GetElapsedTime(_lastHeadFetch, now);
        var fromHead = _cursor.IsHead || sinceHead >= _options.Tuning.FetchRescanInterval || (_headWanted && sinceHead >= MinHeadInterval);
        if (fromHead)
        {
            _headWanted = false;
            _lastHeadFetch = now;
        }

        return fromHead;
    }

    /// <summary>
    /// The queue has a backlog: wait until <paramref name="worthwhile"/> slots are free, or until the first free
    /// slot has waited <see cref="JobEngineTuning.FetchCooldown"/>, so a busy queue leases in real batches.
    /// </summary>
    private async Task GatherCapacityAsync(int worthwhile, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        while (_concurrency - InFlight < worthwhile)
        {
            var left = _options.Tuning.FetchCooldown - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await _capacityFreed.WaitAsync(left, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when no job of this queue is running here any more.</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (InFlight > 0)
        {
            await _capacityFreed.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
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
            if (_idle && _offers.WantsTopUp(_concurrency, InFlight))
            {
                // An idle loop whose offer is short of its free slots: offer the slot just freed.
                _workAvailable.Set();
            }
        }
    }
}
