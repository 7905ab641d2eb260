using System.Text.Json;
using JobPlatform.Core;
using JobPlatform.FakeGateway;
using JobPlatform.Jobs.Billing;

namespace JobPlatform.Jobs.Tests.Billing;

/// <summary>billing.charge through the real engine against the FakeGateway: one charge whatever goes wrong.</summary>
public sealed class BillingChargeTests
{
    private const string Period = "2026-11";

    [Fact]
    public async Task Charge_pays_the_invoice_records_the_payment_and_enqueues_the_receipt()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync(1999, "EUR", email: "ada@example.com");
        await h.StartEngineAsync();

        var job = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        Assert.Equal(1, job.Attempt);
        var charge = Assert.Single(h.Gateway.Charges);
        Assert.Equal(("succeeded", 1999L, "eur"), (charge.Status, charge.Amount, charge.Currency));
        var invoiceId = await h.Db.ScalarAsync<Guid>("SELECT id FROM {schema}.billing_invoices WHERE subscription_id = $1 AND period = $2", sub, Period);
        Assert.Equal("paid", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices WHERE id = $1", invoiceId));
        Assert.Equal(charge.Id, await h.Db.ScalarAsync<string>("SELECT gateway_charge_id FROM {schema}.billing_payments WHERE invoice_id = $1 AND status = 'succeeded'", invoiceId));

        var request = Assert.Single(h.Gateway.Requests);
        Assert.True(request.Authorized, "the API key is sent as a Bearer token");
        Assert.Equal($"invoice-{invoiceId:D}", request.IdempotencyKey);
        using (var body = JsonDocument.Parse(request.Body))
        {
            Assert.Equal(1999, body.RootElement.GetProperty("amount").GetInt64());
            Assert.Equal(charge.Customer, body.RootElement.GetProperty("customer").GetString());
        }

        var receipt = await h.Db.ScalarAsync<string>("SELECT args::text FROM {schema}.jobs WHERE kind = 'email.send' AND unique_key = $1", BillingStore.ReceiptKey(invoiceId));
        using var args = JsonDocument.Parse(receipt);
        Assert.Equal("ada@example.com", args.RootElement.GetProperty("to").GetString());
        Assert.Equal(EmailTemplates.Receipt, args.RootElement.GetProperty("template").GetString());
        var model = args.RootElement.GetProperty("model");
        Assert.Equal(("Ada Lovelace", invoiceId.ToString("D"), "19.99 EUR", Period),
            (model.GetProperty("customer").GetString(), model.GetProperty("invoice").GetString(), model.GetProperty("amount").GetString(), model.GetProperty("period").GetString()));
    }

    [Fact]
    public async Task Payment_and_receipt_commit_together_and_a_rollback_leaves_neither()
    {
        await using var h = await BillingHarness.CreateAsync();
        var invoice = (await h.Store.EnsureInvoiceAsync(await h.AddSubscriptionAsync(), Period, default))!;

        await using (var connection = await h.Db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.True(await h.Store.RecordPaymentAsync(tx, invoice, "ch_rolled_back", default));
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));
        Assert.Equal("open", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices WHERE id = $1", invoice.Id));

        await using (var connection = await h.Db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.True(await h.Store.RecordPaymentAsync(tx, invoice, "ch_committed", default));
            await tx.CommitAsync();
        }

        // A second recording (a retried attempt) finds the invoice settled and writes nothing.
        await using (var connection = await h.Db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.False(await h.Store.RecordPaymentAsync(tx, invoice, "ch_again", default));
            await tx.CommitAsync();
        }

        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments WHERE gateway_charge_id = 'ch_committed'"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));
        Assert.Equal("paid", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices WHERE id = $1", invoice.Id));
    }

    [Fact]
    public async Task Server_errors_then_success_charge_once()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.ServerError), count: 2);
        await h.StartEngineAsync();

        await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        Assert.Single(h.Gateway.Charges);
        Assert.Equal(["fault:server_error", "fault:server_error", "charged"], h.Gateway.Requests.Select(r => r.Outcome));
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_timed_out_call_is_retried_with_the_same_key_and_charges_once()
    {
        // The gateway sits on the first request for 1.5 s (and charges anyway); the pipeline gives up after 300 ms.
        await using var h = await BillingHarness.CreateAsync(BillingHarness.QuietResilience(TimeSpan.FromMilliseconds(300)) with
        {
            MaxRetryAttempts = 8,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.Delay) { Delay = TimeSpan.FromMilliseconds(1500) });
        await h.StartEngineAsync();

        await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        Assert.Single(h.Gateway.Charges);
        Assert.Contains(h.Gateway.Requests, r => r.Outcome == "replayed");
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_short_Retry_After_is_waited_in_process_and_charges_once()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.RateLimited) { RetryAfter = TimeSpan.FromSeconds(1) });
        await h.StartEngineAsync();

        var job = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        Assert.Equal(1, job.Attempt);
        Assert.Single(h.Gateway.Charges);
        Assert.Equal(["fault:rate_limit", "charged"], h.Gateway.Requests.Select(r => r.Outcome));
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_long_Retry_After_snoozes_the_job_without_spending_the_attempt()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.RateLimited) { RetryAfter = TimeSpan.FromMinutes(2) });
        await h.StartEngineAsync();
        var id = await h.EnqueueChargeAsync(sub);

        var snoozed = await h.WaitForAsync(id, j => j.State == JobState.Scheduled && j.ScheduledAt > DateTimeOffset.UtcNow.AddSeconds(60),
            "the charge to be snoozed for the Retry-After");
        Assert.Equal(0, snoozed.Attempt);
        Assert.Empty(h.Gateway.Charges);

        // Time passes (the wait is moved to now): it runs and charges once.
        await h.Db.ExecuteAsync("UPDATE {schema}.jobs SET scheduled_at = now() WHERE id = $1", id);
        var done = await h.WaitForStateAsync(id, JobState.Completed);
        Assert.Equal(1, done.Attempt);
        Assert.Single(h.Gateway.Charges);
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_response_lost_after_the_charge_is_retried_and_the_gateway_replays_it()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.LostResponse));
        await h.StartEngineAsync();

        await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        var charge = Assert.Single(h.Gateway.Charges);
        Assert.StartsWith("fault:lost_response", h.Gateway.Requests[0].Outcome);
        Assert.Equal("replayed", h.Gateway.Requests[1].Outcome);
        Assert.Equal(charge.Id, await h.Db.ScalarAsync<string>("SELECT gateway_charge_id FROM {schema}.billing_payments"));
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_crash_between_the_charge_and_its_record_does_not_charge_again()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        var crashes = 0;
        var handler = h.ChargeHandler(afterGatewayCall: (_, _, _) =>
            Interlocked.Increment(ref crashes) == 1 ? throw new InvalidOperationException("simulated crash after the charge") : Task.CompletedTask);
        await h.StartEngineAsync(h.Registry(handler));

        var job = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        Assert.Equal(2, job.Attempt);
        Assert.Contains("simulated crash", Assert.Single(job.Errors).Message);
        Assert.Single(h.Gateway.Charges);
        Assert.Equal(["charged", "replayed"], h.Gateway.Requests.Select(r => r.Outcome));
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task An_open_breaker_snoozes_the_job_instead_of_failing_it()
    {
        await using var h = await BillingHarness.CreateAsync(BillingHarness.QuietResilience() with
        {
            MinimumThroughput = 2,
            FailureRatio = 0.5,
            BreakDuration = TimeSpan.FromMinutes(1),
        });
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.ServerError), count: 50);
        await h.StartEngineAsync();
        var id = await h.EnqueueChargeAsync(sub);

        var job = await h.WaitForAsync(id, j => j.State == JobState.Scheduled, "the charge to be snoozed by the open breaker");

        Assert.Equal(0, job.Attempt);
        Assert.Empty(job.Errors);
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, h.Dependency.State);
        Assert.Empty(h.Gateway.Charges);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
    }

    [Fact]
    public async Task A_declined_card_marks_the_invoice_failed_and_discards_the_job()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        h.Gateway.InjectFault(new GatewayFault(GatewayFaultKind.Decline) { DeclineCode = "insufficient_funds" });
        await h.StartEngineAsync();
        var id = await h.EnqueueChargeAsync(sub);

        var job = await h.WaitForStateAsync(id, JobState.Discarded);

        Assert.Equal(1, job.Attempt);
        Assert.Contains("insufficient_funds", Assert.Single(job.Errors).Message);
        Assert.Equal("failed", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices"));
        Assert.Equal("insufficient_funds", await h.Db.ScalarAsync<string>("SELECT failure_code FROM {schema}.billing_payments WHERE status = 'failed'"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));

        // Charging the period again (a new job: the discarded one does not hold the key) settles nothing new.
        var again = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);
        Assert.NotEqual(id, again.Id);
        Assert.Single(h.Gateway.Requests);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
    }

    [Fact]
    public async Task A_rejected_API_key_discards_the_job_with_the_gateways_message_and_not_the_key()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        var wrongKey = "sk_test_wrong_" + Guid.NewGuid().ToString("N");
        await h.StartEngineAsync(h.Registry(h.ChargeHandler(new PaymentGatewayOptions { BaseUrl = h.Gateway.BaseUrl, ApiKey = wrongKey })));

        var job = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Discarded);

        var error = Assert.Single(job.Errors).Message;
        Assert.Contains("401", error);
        Assert.Contains("Invalid API Key provided", error);
        Assert.DoesNotContain(wrongKey, error);
        Assert.Empty(h.Gateway.Charges);
        Assert.Equal("open", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices"));
    }

    [Fact]
    public async Task A_paid_invoice_is_a_no_op()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        await h.StartEngineAsync();
        await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Completed);

        // The first job completed and is retained, so the key still blocks: enqueue a duplicate without it.
        var duplicate = await h.Client.EnqueueAsync(new BillingChargeArgs { SubscriptionId = sub, Period = Period });
        await h.WaitForStateAsync(duplicate.Id, JobState.Completed);

        Assert.Single(h.Gateway.Requests);
        await AssertPaidOnceAsync(h);
    }

    [Fact]
    public async Task A_charge_for_a_period_before_the_subscription_started_bills_nothing()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync(startedOn: "2026-12-01");
        await h.StartEngineAsync();

        await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub, "2026-11"), JobState.Completed);

        Assert.Empty(h.Gateway.Requests);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM {schema}.billing_invoices"));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("requires_action")]
    public void A_charge_that_is_not_final_yet_is_asked_again_and_never_settles_the_invoice_as_failed(string status)
    {
        var e = Assert.Throws<Resilience.TransientDependencyException>(() => PaymentGatewayClient.Classify(
            System.Net.HttpStatusCode.OK, new GatewayChargeResponse { Id = "ch_1", Status = status }, null, "invoice-1"));

        Assert.Contains($"'{status}'", e.Message);
        Assert.NotNull(e.RetryAfter);
    }

    [Fact]
    public void A_failed_charge_is_a_decline()
    {
        var outcome = PaymentGatewayClient.Classify(System.Net.HttpStatusCode.OK,
            new GatewayChargeResponse { Id = "ch_1", Status = "failed", FailureCode = "card_declined" }, null, "invoice-1");

        Assert.False(outcome.Succeeded);
        Assert.Equal("card_declined", outcome.FailureCode);
    }

    [Fact]
    public async Task An_invoice_first_charged_longer_ago_than_the_charge_window_is_never_charged_again()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        // A first attempt two days ago whose outcome was never recorded: the gateway may have forgotten its key by now.
        await h.Store.EnsureInvoiceAsync(sub, Period, default);
        await h.Db.ExecuteAsync("UPDATE {schema}.billing_invoices SET first_charge_at = now() - interval '2 days'");
        await h.StartEngineAsync();

        var job = await h.WaitForStateAsync(await h.EnqueueChargeAsync(sub), JobState.Discarded);

        Assert.Empty(h.Gateway.Requests);
        Assert.Contains("Billing:ChargeWindow", job.Errors[^1].Message);
        Assert.Contains("charging again could charge twice", job.Errors[^1].Message);
        Assert.Equal("open", await h.Db.ScalarAsync<string>("SELECT status FROM {schema}.billing_invoices"));
    }

    [Fact]
    public async Task The_first_charge_attempt_is_stamped_once()
    {
        await using var h = await BillingHarness.CreateAsync();
        var sub = await h.AddSubscriptionAsync();
        var invoice = (await h.Store.EnsureInvoiceAsync(sub, Period, default))!;

        var (first, _) = await h.Store.StartChargeAsync(invoice.Id, default);
        await Task.Delay(20);
        var (again, now) = await h.Store.StartChargeAsync(invoice.Id, default);

        Assert.Equal(first, again);
        Assert.True(now > first);
    }

    private static async Task AssertPaidOnceAsync(BillingHarness h)
    {
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_payments"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.billing_invoices WHERE status = 'paid'"));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM {schema}.jobs WHERE kind = 'email.send'"));
        Assert.Single(h.Gateway.Charges, c => c.Status == "succeeded");
    }
}
