using JobPlatform.Core;

namespace JobPlatform.Jobs.Tests.Billing;

/// <summary>billing.run: one charge per due subscription, paged, and a rerun adds none.</summary>
public sealed class BillingRunTests
{
    [Fact]
    public async Task Run_enqueues_one_charge_per_due_subscription_across_pages_and_a_rerun_adds_none()
    {
        await using var h = await BillingHarness.CreateAsync(pageSize: 10);
        var due = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            due.Add(await h.AddSubscriptionAsync());
        }

        await h.AddSubscriptionAsync(status: "cancelled");
        await h.AddSubscriptionAsync(startedOn: "2026-12-01");
        due.Add(await h.AddSubscriptionAsync(startedOn: "2026-11-30"));
        // Charges are only counted here: a stand-in charge handler completes them without billing.
        var registry = h.Registry().Register<BillingChargeArgs>((_, _, _) => Task.CompletedTask);
        await h.StartEngineAsync(registry);

        var first = await h.Client.EnqueueAsync(new BillingRunArgs { Period = "2026-11" });
        await h.WaitForStateAsync(first.Id, JobState.Completed);
        var keys = await ChargeKeysAsync(h);
        Assert.Equal(due.Select(id => BillingChargeArgs.UniqueKey(id, "2026-11")).Order(), keys.Order());

        var second = await h.Client.EnqueueAsync(new BillingRunArgs { Period = "2026-11" });
        await h.WaitForStateAsync(second.Id, JobState.Completed);
        Assert.Equal(keys.Count, (await ChargeKeysAsync(h)).Count);
    }

    [Fact]
    public async Task Run_end_to_end_charges_every_due_subscription_once_and_a_rerun_charges_nothing()
    {
        await using var h = await BillingHarness.CreateAsync(pageSize: 5);
        for (var i = 0; i < 12; i++)
        {
            await h.AddSubscriptionAsync(amountMinor: 1000 + i);
        }

        await h.StartEngineAsync();
        var run = await h.Client.EnqueueAsync(new BillingRunArgs { Period = "2026-11" });
        await h.WaitForStateAsync(run.Id, JobState.Completed);
        await WaitAsync(h, "SELECT count(*) FROM {schema}.billing_invoices WHERE status = 'paid'", 12);
        await WaitAsync(h, "SELECT count(*) FROM {schema}.jobs WHERE kind = 'billing.charge' AND state = 'completed'", 12);

        var rerun = await h.Client.EnqueueAsync(new BillingRunArgs { Period = "2026-11" });
        await h.WaitForStateAsync(rerun.Id, JobState.Completed);

        Assert.Equal(12, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'billing.charge'"));
        Assert.Equal(12, h.Gateway.Charges.Count);
        Assert.Equal(12, h.Gateway.Charges.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.Equal(12, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
        Assert.Equal(12, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));
    }

    [Fact]
    public async Task A_malformed_period_discards_the_run()
    {
        await using var h = await BillingHarness.CreateAsync();
        await h.StartEngineAsync();

        var run = await h.Client.EnqueueAsync(new BillingRunArgs { Period = "2026-13" });
        var job = await h.WaitForStateAsync(run.Id, JobState.Discarded);

        Assert.Contains("yyyy-MM", Assert.Single(job.Errors).Message);
    }

    private static async Task<List<string>> ChargeKeysAsync(BillingHarness h)
    {
        var keys = new List<string>();
        await using var cmd = h.Db.DataSource.CreateCommand($"SELECT unique_key FROM \"{h.Db.Schema}\".jobs WHERE kind = 'billing.charge'");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static Task WaitAsync(BillingHarness h, string sql, long expected) =>
        TestSupport.TestDatabase.WaitUntilAsync(async () => await h.CountAsync(sql) == expected, TimeSpan.FromSeconds(60), $"{sql} to reach {expected}");
}
