using JobPlatform.Core;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Jobs.Billing;

/// <summary>The billing tables: invoices made idempotently, payments recorded with the receipt email in one transaction.</summary>
internal sealed class BillingStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly JobClient _client;
    private readonly string _schema;

    public BillingStore(NpgsqlDataSource dataSource, JobClient client)
    {
        _dataSource = dataSource;
        _client = client;
        _schema = client.Options.Schema;
    }

    /// <summary>The unique key of an invoice's receipt email.</summary>
    public static string ReceiptKey(Guid invoiceId) => $"billing.receipt:{invoiceId:D}";

    /// <summary>The ids of the next <paramref name="limit"/> subscriptions due in <paramref name="period"/> after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<long>> DueSubscriptionsAsync(string period, long after, int limit, CancellationToken ct)
    {
        var start = BillingPeriod.StartOf(period);
        await using var cmd = _dataSource.CreateCommand(Sql(BillingSql.DueSubscriptions));
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("period_end", start.AddMonths(1));
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("limit", limit);
        var ids = new List<long>(limit);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>
    /// The invoice of <paramref name="subscriptionId"/> for <paramref name="period"/>, created first if it does not
    /// exist (INSERT … ON CONFLICT DO NOTHING, then read: concurrent attempts end up with the same invoice).
    /// Null when the subscription has no invoice and is not due: not active, started after the period, or missing.
    /// </summary>
    public async Task<Invoice?> EnsureInvoiceAsync(long subscriptionId, string period, CancellationToken ct)
    {
        await using (var insert = _dataSource.CreateCommand(Sql(BillingSql.InsertInvoice)))
        {
            insert.Parameters.AddWithValue("subscription", subscriptionId);
            insert.Parameters.AddWithValue("period", period);
            insert.Parameters.AddWithValue("period_end", BillingPeriod.StartOf(period).AddMonths(1));
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var select = _dataSource.CreateCommand(Sql(BillingSql.SelectInvoice));
        select.Parameters.AddWithValue("subscription", subscriptionId);
        select.Parameters.AddWithValue("period", period);
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new Invoice(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8));
    }

    /// <summary>When the invoice's first charge was sent (stamped now if this is the first) and the database's now.</summary>
    public async Task<(DateTimeOffset FirstChargeAt, DateTimeOffset Now)> StartChargeAsync(Guid invoiceId, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(Sql(BillingSql.StartCharge));
        cmd.Parameters.AddWithValue("invoice", invoiceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Invoice {invoiceId:D} disappeared while being charged.");
        }

        return (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>The subscription's status (<c>active</c>, <c>cancelled</c>), or null when it does not exist.</summary>
    public async Task<string?> SubscriptionStatusAsync(long subscriptionId, CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand(Sql(BillingSql.SelectSubscriptionStatus));
        cmd.Parameters.AddWithValue("subscription", subscriptionId);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Inside <paramref name="transaction"/>: records the successful charge, marks the invoice paid and enqueues its
    /// receipt email (unique key <see cref="ReceiptKey"/>), all or nothing. False, with nothing written, when the
    /// invoice is no longer open (another attempt settled it first).
    /// </summary>
    public async Task<bool> RecordPaymentAsync(NpgsqlTransaction transaction, Invoice invoice, string chargeId, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (!await LockOpenAsync(connection, invoice.Id, ct).ConfigureAwait(false))
        {
            return false;
        }

        await InsertPaymentAsync(connection, invoice, "succeeded", chargeId, null, null, ct).ConfigureAwait(false);
        await using (var paid = new NpgsqlCommand(Sql(BillingSql.MarkPaid), connection))
        {
            paid.Parameters.AddWithValue("invoice", invoice.Id);
            await paid.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var receipt = new EmailSendArgs
        {
            To = invoice.CustomerEmail,
            Template = EmailTemplates.Receipt,
            Model = new Dictionary<string, string>
            {
                ["customer"] = invoice.CustomerName,
                ["invoice"] = invoice.Id.ToString("D"),
                ["amount"] = Money.Format(invoice.AmountMinor, invoice.Currency),
                ["period"] = invoice.Period,
            },
        };
        await _client.EnqueueAsync(transaction, receipt, new EnqueueOptions
        {
            Unique = new UniqueOptions { Key = ReceiptKey(invoice.Id), States = UniqueStates.All },
        }, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Inside <paramref name="transaction"/>: records the declined charge and marks the invoice failed. False,
    /// with nothing written, when the invoice is no longer open.</summary>
    public async Task<bool> RecordDeclineAsync(NpgsqlTransaction transaction, Invoice invoice, GatewayChargeOutcome outcome, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (!await LockOpenAsync(connection, invoice.Id, ct).ConfigureAwait(false))
        {
            return false;
        }

        await InsertPaymentAsync(connection, invoice, "failed", outcome.ChargeId, outcome.FailureCode, outcome.FailureMessage, ct).ConfigureAwait(false);
        await using var failed = new NpgsqlCommand(Sql(BillingSql.MarkFailed), connection);
        failed.Parameters.AddWithValue("invoice", invoice.Id);
        failed.Parameters.AddWithValue("reason", $"{outcome.FailureCode}: {outcome.FailureMessage}");
        await failed.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> LockOpenAsync(NpgsqlConnection connection, Guid invoiceId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql(BillingSql.LockInvoice), connection);
        cmd.Parameters.AddWithValue("invoice", invoiceId);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is Invoice.Open;
    }

    private async Task InsertPaymentAsync(NpgsqlConnection connection, Invoice invoice, string status, string? chargeId,
        string? failureCode, string? failureMessage, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql(BillingSql.InsertPayment), connection);
        cmd.Parameters.AddWithValue("invoice", invoice.Id);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("amount", invoice.AmountMinor);
        cmd.Parameters.AddWithValue("currency", invoice.Currency);
        cmd.Parameters.Add(new NpgsqlParameter("charge", NpgsqlDbType.Text) { Value = (object?)chargeId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("key", invoice.IdempotencyKey);
        cmd.Parameters.Add(new NpgsqlParameter("failure_code", NpgsqlDbType.Text) { Value = (object?)failureCode ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("failure_message", NpgsqlDbType.Text) { Value = (object?)failureMessage ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private string Sql(string statement) => JobsSql.Get("Billing", statement, _schema);
}
