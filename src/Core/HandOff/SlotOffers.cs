using JobPlatform.Core.Storage;

namespace JobPlatform.Core.HandOff;

/// <summary>
/// One queue's slot offers: what the fetch loop asks of direct hand-off. An idle queue offers its free slots
/// (<see cref="OfferAsync"/>); each fetch withdraws the offer (<see cref="BeginWithdrawal"/>, in the fetch's own
/// statement, then <see cref="Withdrawn"/>); handed jobs arriving report their slot (<see cref="Arrived"/>).
/// <see cref="None"/> stands in when hand-off is off: it offers nothing and counts nothing.
/// </summary>
internal sealed class SlotOffers
{
    /// <summary>Offers nothing: hand-off is off, or notifications cannot arrive (poll only).</summary>
    public static readonly SlotOffers None = new();

    private readonly string _queue = "";
    private readonly string _workerId = "";
    private readonly HandOffStore? _store;
    private readonly HandOffReceiver? _receiver;
    private readonly Func<bool> _canReceive = static () => false;
    private readonly SlotOfferLedger? _ledger;

    private SlotOffers()
    {
    }

    /// <param name="queue">The queue.</param>
    /// <param name="workerId">The worker whose slots are offered.</param>
    /// <param name="store">Where offers are written.</param>
    /// <param name="receiver">The worker's lock and channel.</param>
    /// <param name="canReceive">Whether hand-offs can reach the worker now (listening, lock held).</param>
    /// <param name="heartbeatInterval">The worker's heartbeat interval: a lost hand-off is found within one.</param>
    /// <param name="time">The clock.</param>
    public SlotOffers(string queue, string workerId, HandOffStore store, HandOffReceiver receiver,
        Func<bool> canReceive, TimeSpan heartbeatInterval, TimeProvider time)
    {
        (_queue, _workerId, _store, _receiver, _canReceive) = (queue, workerId, store, receiver, canReceive);
        // By then a handed job has arrived, or the heartbeat has found it lost and started it.
        _ledger = new SlotOfferLedger(HandOffReceiver.LostAfter + 2 * heartbeatInterval, time);
    }

    /// <summary>Whether this queue offers slots at all.</summary>
    public bool Enabled => _ledger is not null;

    /// <summary>Slots of withdrawn offers whose jobs may still be on their way: not free for a lease.</summary>
    public int InTransit => _ledger?.InTransit ?? 0;

    /// <summary>
    /// Offers the free slots of this idle queue, or tops the offer up, unless enough are offered already or
    /// hand-offs cannot reach the worker now. Counted before the statement runs: a producer may take a slot, and
    /// its job arrive, before it returns. If the statement fails, whether the slots were written is unknown: they
    /// stay counted, and the next fetch withdraws them.
    /// </summary>
    /// <param name="concurrency">The queue's concurrency.</param>
    /// <param name="inFlight">Reads the jobs running now.</param>
    public async Task OfferAsync(int concurrency, Func<int> inFlight)
    {
        if (_ledger is null || !_canReceive())
        {
            return;
        }

        var slots = _ledger.TakeForOffer(concurrency, inFlight, out var generation);
        if (slots == 0)
        {
            return;
        }

        await _store!.OfferAsync(_queue, _workerId, _receiver!.LockKey, _receiver.Channel, slots, generation).ConfigureAwait(false);
    }

    /// <summary>Whether an idle loop should offer again now (slots freed, or a hand-off used some).</summary>
    public bool WantsTopUp(int concurrency, int inFlight) => _ledger?.WantsTopUp(concurrency, inFlight) ?? false;

    /// <summary>The fetch about to run withdraws the offer: the slots it counts, all in transit until
    /// <see cref="Withdrawn"/> says how many the row still held.</summary>
    public (long Generation, int Slots) BeginWithdrawal() => _ledger?.BeginWithdrawal() ?? (0, 0);

    /// <summary>The fetch withdrew the offer of <paramref name="generation"/>, finding <paramref name="left"/> slots in it.</summary>
    public void Withdrawn(long generation, int left) => _ledger?.Withdrawn(generation, left);

    /// <summary>A handed job arrived through the offer of <paramref name="generation"/>.</summary>
    public void Arrived(long generation) => _ledger?.Arrived(generation);
}
