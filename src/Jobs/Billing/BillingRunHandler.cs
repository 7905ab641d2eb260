using JobPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobPlatform.Jobs.Billing;

/// <summary>
/// <c>billing.run</c>: pages through the subscriptions due in the period (keyset by id) and enqueues one
/// <c>billing.charge</c> per subscription, a page per bulk insert, each with the unique key
/// <c>billing.charge:&lt;subscription&gt;:&lt;period&gt;</c>. A rerun (or a retried attempt that dies half-way) adds
/// only what is missing; already settled invoices are skipped by the query.
/// </summary>
internal sealed class BillingRunHandler(BillingStore store, JobClient client, IOptions<BillingRunOptions> options, ILogger<BillingRunHandler> logger)
    : IJobHandler<BillingRunArgs>
{
    private readonly BillingRunOptions _options = options.Value;

    public async Task HandleAsync(BillingRunArgs args, JobContext context, CancellationToken cancellationToken)
    {
        BillingPeriod.StartOf(args.Period);
        long after = 0;
        int enqueued = 0, duplicates = 0;
        while (true)
        {
            var page = await store.DueSubscriptionsAsync(args.Period, after, _options.PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            var inserts = page.Select(id => JobInsert.From(
                new BillingChargeArgs { SubscriptionId = id, Period = args.Period },
                new EnqueueOptions
                {
                    // Charges run on the queue the run was sent to, so operators steer a billing run as one.
                    Queue = context.Queue,
                    MaxAttempts = _options.ChargeMaxAttempts,
                    Unique = new UniqueOptions { Key = BillingChargeArgs.UniqueKey(id, args.Period) },
                },
                client.Options.SerializerOptions));
            var results = await client.EnqueueManyAsync(inserts, cancellationToken).ConfigureAwait(false);
            var dup = results.Count(r => r.Duplicate);
            duplicates += dup;
            enqueued += results.Count - dup;
            after = page[^1];
            if (page.Count < _options.PageSize)
            {
                break;
            }
        }

        logger.LogInformation("billing.run {Period}: enqueued {Enqueued} charges, {Duplicates} already enqueued", args.Period, enqueued, duplicates);
    }
}
