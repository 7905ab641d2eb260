using JobPlatform.Core;
using JobPlatform.Jobs.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobPlatform.Jobs.Billing;

/// <summary>
/// <c>billing.charge</c>: creates the invoice (idempotently), charges it through the payment gateway with the
/// Idempotency-Key <c>invoice-&lt;id&gt;</c>, then records the payment, marks the invoice paid and enqueues the
/// receipt email in one transaction. Exactly once in effect: every attempt sends the same key, so a charge whose
/// answer was lost, or whose recording never committed (crash, timeout), is replayed by the gateway rather than
/// repeated; a settled invoice is a no-op. A declined card is recorded (payment failed, invoice failed) and the
/// job discarded with the decline.
/// </summary>
internal sealed class BillingChargeHandler(
    BillingStore store,
    PaymentGatewayClient gateway,
    Dependencies dependencies,
    NpgsqlDataSource dataSource,
    IOptions<BillingRunOptions> options,
    ILogger<BillingChargeHandler> logger) : IJobHandler<BillingChargeArgs>
{
    /// <summary>Test hook run after the gateway answered and before anything is recorded: throwing here simulates a
    /// worker that dies between the charge and its record.</summary>
    internal Func<Invoice, GatewayChargeOutcome, CancellationToken, Task>? AfterGatewayCall { get; init; }

    public async Task HandleAsync(BillingChargeArgs args, JobContext context, CancellationToken cancellationToken)
    {
        BillingPeriod.StartOf(args.Period);
        var invoice = await store.EnsureInvoiceAsync(args.SubscriptionId, args.Period, cancellationToken).ConfigureAwait(false);
        if (invoice is null)
        {
            var status = await store.SubscriptionStatusAsync(args.SubscriptionId, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                throw new DiscardJobException($"Subscription {args.SubscriptionId} does not exist (billing_subscriptions.id); nothing to charge.");
            }

            logger.LogInformation("billing.charge: subscription {Subscription} ({Status}) is not due for {Period}; nothing to bill", args.SubscriptionId, status, args.Period);
            return;
        }

        if (invoice.Status != Invoice.Open)
        {
            // Paid already (a retry after the commit, a duplicate job) or declined: settled, never charged twice.
            logger.LogInformation("billing.charge: invoice {Invoice} ({Period}) is already {Status}; nothing to do", invoice.Id, invoice.Period, invoice.Status);
            return;
        }

        var (firstChargeAt, now) = await store.StartChargeAsync(invoice.Id, cancellationToken).ConfigureAwait(false);
        var window = options.Value.ChargeWindow;
        if (now - firstChargeAt > window)
        {
            // The gateway may have forgotten this invoice's Idempotency-Key: a charge now could be a second one.
            throw new DiscardJobException(
                $"Invoice {invoice.Id:D} ({invoice.Period}) was first sent to the payment gateway at {firstChargeAt:u}, longer ago than " +
                $"{BillingRunOptions.SectionName}:ChargeWindow ({window}); charging again could charge twice. Look the charge up at the gateway " +
                $"(Idempotency-Key {invoice.IdempotencyKey}), then mark the invoice paid, or clear billing_invoices.first_charge_at and retry this job.");
        }

        var request = new GatewayChargeRequest(invoice.AmountMinor, invoice.Currency.ToLowerInvariant(), invoice.GatewayCustomer,
            $"Invoice {invoice.Id:D}, subscription {invoice.SubscriptionId}, period {invoice.Period}");
        var outcome = await dependencies[Dependencies.PaymentGateway]
            .ExecuteAsync(ct => gateway.ChargeAsync(request, invoice.IdempotencyKey, ct), cancellationToken).ConfigureAwait(false);
        if (AfterGatewayCall is { } hook)
        {
            await hook(invoice, outcome, cancellationToken).ConfigureAwait(false);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var recorded = outcome.Succeeded
            ? await store.RecordPaymentAsync(transaction, invoice, outcome.ChargeId!, cancellationToken).ConfigureAwait(false)
            : await store.RecordDeclineAsync(transaction, invoice, outcome, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        if (!recorded)
        {
            logger.LogInformation("billing.charge: invoice {Invoice} was settled by another attempt meanwhile", invoice.Id);
            return;
        }

        if (!outcome.Succeeded)
        {
            throw new DiscardJobException(
                $"The card of customer {invoice.GatewayCustomer} was declined for invoice {invoice.Id:D} ({Money.Format(invoice.AmountMinor, invoice.Currency)}, {invoice.Period}): " +
                $"{outcome.FailureCode}: {outcome.FailureMessage} The invoice is marked failed; retrying this job will not charge again.");
        }

        logger.LogInformation("billing.charge: invoice {Invoice} paid, charge {Charge}, {Amount}", invoice.Id, outcome.ChargeId, Money.Format(invoice.AmountMinor, invoice.Currency));
    }
}
