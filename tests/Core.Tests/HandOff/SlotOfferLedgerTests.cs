using JobPlatform.Core.HandOff;
using Microsoft.Extensions.Time.Testing;

namespace JobPlatform.Core.Tests.HandOff;

/// <summary>
/// The count of offered slots behind direct hand-off: offered slots, slots taken but whose jobs have not arrived,
/// and running jobs must never exceed the concurrency, whatever order arrivals and withdrawals come in.
/// </summary>
public sealed class SlotOfferLedgerTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public void An_idle_queue_offers_every_free_slot_and_tops_up_only_when_fewer_are_left_than_it_could_add()
    {
        var ledger = new SlotOfferLedger(Long, new FakeTimeProvider());
        Assert.Equal(10, ledger.TakeForOffer(concurrency: 10, inFlight: () => 0, out var generation));
        Assert.Equal(0, ledger.TakeForOffer(10, () => 0, out _));

        // Four jobs arrive and finish: six slots are offered, four could be added; not worth a statement yet.
        for (var i = 0; i < 4; i++)
        {
            ledger.Arrived(generation);
        }

        Assert.False(ledger.WantsTopUp(10, 0));
        Assert.Equal(0, ledger.TakeForOffer(10, () => 0, out _));
        ledger.Arrived(generation);
        ledger.Arrived(generation);
        Assert.True(ledger.WantsTopUp(10, 0));
        Assert.Equal(6, ledger.TakeForOffer(10, () => 0, out var again));
        Assert.Equal(generation, again);
        Assert.Equal(10, ledger.Outstanding);

        // Running jobs are not offered.
        Assert.Equal(3, new SlotOfferLedger(Long, new FakeTimeProvider()).TakeForOffer(concurrency: 5, inFlight: () => 2, out _));
        Assert.Equal(0, new SlotOfferLedger(Long, new FakeTimeProvider()).TakeForOffer(5, () => 5, out _));
    }

    [Fact]
    public void Slots_taken_before_a_withdrawal_count_until_their_jobs_arrive_and_arrivals_of_an_old_offer_do_not_touch_the_new_one()
    {
        var ledger = new SlotOfferLedger(Long, new FakeTimeProvider());
        ledger.TakeForOffer(10, () => 0, out var first);
        ledger.Arrived(first);

        // The fetch withdraws the offer: 9 counted; the row still held 6, so 3 jobs are on their way.
        var withdrawal = ledger.BeginWithdrawal();
        Assert.Equal((first, 9), withdrawal);
        Assert.Equal(9, ledger.InTransit);
        ledger.Withdrawn(withdrawal.Generation, left: 6);
        Assert.Equal(3, ledger.InTransit);

        // A new offer leaves room for the three on their way.
        Assert.Equal(6, ledger.TakeForOffer(10, () => 1, out var second));
        Assert.NotEqual(first, second);
        ledger.Arrived(first);
        Assert.Equal(2, ledger.InTransit);
        Assert.Equal(8, ledger.Outstanding);

        // An arrival of the new offer counts against it only.
        ledger.Arrived(second);
        Assert.Equal((2, 7), (ledger.InTransit, ledger.Outstanding));
        ledger.Arrived(first);
        ledger.Arrived(first);
        Assert.Equal((0, 5), (ledger.InTransit, ledger.Outstanding));

        // Arrivals of an offer no longer counted change nothing.
        ledger.Arrived(first);
        Assert.Equal(5, ledger.Outstanding);
    }

    [Fact]
    public void A_failed_withdrawal_counts_all_its_slots_in_transit_until_they_expire()
    {
        var time = new FakeTimeProvider();
        var ledger = new SlotOfferLedger(TimeSpan.FromSeconds(4), time);
        ledger.TakeForOffer(4, () => 0, out _);
        ledger.BeginWithdrawal();
        // No Withdrawn: the statement failed, nobody knows what the row held.
        Assert.Equal(4, ledger.InTransit);
        Assert.Equal(0, ledger.TakeForOffer(4, () => 0, out _));

        time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(4, ledger.InTransit);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(0, ledger.InTransit);
        Assert.Equal(4, ledger.TakeForOffer(4, () => 0, out _));
    }
}
