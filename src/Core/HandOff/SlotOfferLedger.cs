namespace JobPlatform.Core.HandOff;

/// <summary>
/// One queue's count of the slots it offers to producers, so that offered slots, jobs on their way and running
/// jobs together never exceed the queue's concurrency.
/// <para>
/// The offer row holds a number of slots and a generation. A producer takes one slot (the last one deletes the
/// row) and sends the job with the generation it took it from. A fetch withdraws the row and starts a new
/// generation: the slots producers took before the withdrawal, whose jobs may still be on their way, are then
/// counted apart as in transit until their jobs arrive. A notification may be lost (the heartbeat starts those
/// jobs later, without telling the ledger), and a failed statement leaves unknown what it wrote: counts left too
/// high by either expire after <c>transitTimeout</c>, by which time any such job has arrived or been recovered.
/// Every uncertainty errs towards counting a slot as taken, which only means offering or leasing fewer for a while.
/// </para>
/// Thread-safe: the fetch loop offers and withdraws, the listener reports arrivals.
/// </summary>
internal sealed class SlotOfferLedger(TimeSpan transitTimeout, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<Withdrawal> _withdrawals = [];
    private long _generation = 1;
    private int _current;

    /// <summary>Slots counted against the concurrency: offered now, or taken and not yet arrived.</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _current + InTransitLocked();
            }
        }
    }

    /// <summary>Slots of withdrawn offers whose jobs may still be on their way.</summary>
    public int InTransit
    {
        get
        {
            lock (_lock)
            {
                return InTransitLocked();
            }
        }
    }

    /// <summary>
    /// How many slots to offer now, counted as offered from here on, and the generation to offer them under; 0
    /// when none are free or enough are out already (a top-up waits until what is offered is less than what
    /// could be added, so a busy hand-off stream costs one statement per many jobs).
    /// </summary>
    /// <param name="concurrency">The queue's concurrency.</param>
    /// <param name="inFlight">Reads the jobs running now, under the ledger's lock: a handed job counts as running
    /// before its arrival leaves the ledger, so one arriving meanwhile is counted once or twice, never not at all.</param>
    /// <param name="generation">The generation the slots belong to.</param>
    public int TakeForOffer(int concurrency, Func<int> inFlight, out long generation)
    {
        lock (_lock)
        {
            generation = _generation;
            var free = concurrency - inFlight() - _current - InTransitLocked();
            if (!WorthOffering(free))
            {
                return 0;
            }

            _current += free;
            return free;
        }
    }

    /// <summary>Whether <see cref="TakeForOffer"/> would offer slots now.</summary>
    public bool WantsTopUp(int concurrency, int inFlight)
    {
        lock (_lock)
        {
            return WorthOffering(concurrency - inFlight - _current - InTransitLocked());
        }
    }

    /// <summary>Whether <paramref name="free"/> unoffered slots are worth a statement: any when none are
    /// offered, otherwise only once fewer are offered than could be added.</summary>
    private bool WorthOffering(int free) => free > 0 && (_current == 0 || _current < free);

    /// <summary>A handed job arrived from the offer of <paramref name="generation"/>.</summary>
    public void Arrived(long generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                _current = Math.Max(0, _current - 1);
                return;
            }

            var i = _withdrawals.FindIndex(w => w.Generation == generation);
            if (i >= 0 && --_withdrawals[i].Slots <= 0)
            {
                _withdrawals.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// A fetch is about to withdraw the current offer: returns the slots it counts (in the row, or taken and on
    /// their way) and starts a new generation. Until <see cref="Withdrawn"/> all of them count as in transit.
    /// </summary>
    public (long Generation, int Slots) BeginWithdrawal()
    {
        lock (_lock)
        {
            var withdrawing = (_generation, _current);
            if (_current > 0)
            {
                _withdrawals.Add(new Withdrawal(_generation, _current, time.GetUtcNow() + transitTimeout));
            }

            _generation++;
            _current = 0;
            return withdrawing;
        }
    }

    /// <summary>The withdrawal found <paramref name="left"/> slots still in the row: no producer took those.</summary>
    public void Withdrawn(long generation, int left)
    {
        lock (_lock)
        {
            var i = _withdrawals.FindIndex(w => w.Generation == generation);
            if (i >= 0 && (_withdrawals[i].Slots -= left) <= 0)
            {
                _withdrawals.RemoveAt(i);
            }
        }
    }

    private int InTransitLocked()
    {
        if (_withdrawals.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        _withdrawals.RemoveAll(w => w.ExpiresAt <= now);
        var sum = 0;
        foreach (var w in _withdrawals)
        {
            sum += w.Slots;
        }

        return sum;
    }

    private sealed class Withdrawal(long generation, int slots, DateTimeOffset expiresAt)
    {
        public long Generation { get; } = generation;

        public int Slots { get; set; } = slots;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }
}
