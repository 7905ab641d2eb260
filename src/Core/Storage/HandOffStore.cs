using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements of direct hand-off (<c>Core/HandOff</c>): a worker's slot offers and their withdrawal, the producer's
/// insert that takes an offered slot, and the recovery of handed jobs whose notification was lost. One method per
/// statement; the offers' bookkeeping and the decision to hand a job off stay in <c>Core/HandOff</c>.
/// </summary>
internal sealed class HandOffStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    private readonly SqlStatement _insertOffered = sql.Statement("insert_job_offered");
    private readonly SqlStatement _notifyOffered = sql.Statement("notify_offered");
    private readonly SqlStatement _offer = sql.Statement("offer_slot");

    /// <summary>Offers <paramref name="slots"/> more free slots of <paramref name="queue"/> on <paramref name="workerId"/>
    /// under offer <paramref name="generation"/>, live while the lock <paramref name="lockKey"/> is held, handed jobs to
    /// be sent on <paramref name="channel"/> (<c>offer_slot</c>). Not cancellable: whether the slots were written must be
    /// known or assumed by the caller.</summary>
    public async Task OfferAsync(string queue, string workerId, long lockKey, string channel, int slots, long generation)
    {
        await using var cmd = _offer
            .With("queue", queue)
            .With("worker", workerId)
            .With("lock_key", lockKey)
            .With("channel", channel)
            .With("slots", slots)
            .With("generation", generation)
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Withdraws every slot offer of <paramref name="workerId"/> (<c>withdraw_offers</c>).</summary>
    public async Task WithdrawAllAsync(string workerId, CancellationToken ct)
    {
        await using var cmd = sql.Statement("withdraw_offers").With("worker", workerId).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts a lone job, handed to an offered slot if one is live (<c>insert_job_offered</c>), and then (own
    /// transaction, same round trip) wakes its queue when <paramref name="wake"/> and it was not handed
    /// (<c>notify_offered</c>). False, with nothing written, when the notification would exceed PostgreSQL's payload
    /// limit after all (jsonb's text of the args can outgrow their JSON): the caller inserts it the ordinary way.
    /// The hand-off's NOTIFY is inside the insert's transaction so that the worker is told at the commit rather
    /// than a statement later; such a commit holds PostgreSQL's notification lock until its WAL flush, but only
    /// hand-offs do, at most one per slot an idle worker offers.
    /// </summary>
    public async Task<bool> InsertOfferedAsync(NpgsqlConnection connection, PreparedJob job, bool wake)
    {
        await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        send.BatchCommands.Add(JobInsertRow.Bind(_insertOffered, job, unique: false).BatchCommand());
        if (wake)
        {
            send.BatchCommands.Add(_notifyOffered.With("channel", sql.InsertChannel).With("id", job.Id).BatchCommand());
        }

        try
        {
            await InsertStore.InsertThenWakeAsync(send).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // From the insert's transaction (the wake-up's errors are absorbed), where only pg_notify raises this
            // code: the payload was too long. The transaction rolled back; nothing was written.
            return false;
        }
    }

    /// <summary>The jobs of <paramref name="ids"/> that are still running on <paramref name="workerId"/> as handed
    /// jobs, as the fetch returns leased jobs (<c>recover_handed_off</c>).</summary>
    public async Task<List<FetchedJob>> RecoverAsync(Guid[] ids, string workerId, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recover_handed_off").With("ids", ids).With("worker", workerId).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await LeasedJobRow.ReadAllAsync(r, ct).ConfigureAwait(false);
    }
}
