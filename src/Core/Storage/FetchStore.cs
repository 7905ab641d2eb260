using JobPlatform.Core.Fetching;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The fetch loops' statement: one lease of a queue's next jobs, which also withdraws the queue's slot offer
/// (<c>fetch_jobs</c>). It runs for every batch of jobs, so the statement is looked up once.
/// </summary>
internal sealed class FetchStore(NpgsqlDataSource dataSource, SqlCatalog sql, string workerId, bool asyncCommit)
{
    private readonly SqlStatement _fetch = sql.Statement("fetch_jobs");
    private readonly string? _synchronousCommit = asyncCommit ? "off" : null;

    /// <summary>
    /// Leases up to <paramref name="limit"/> jobs of <paramref name="queue"/> after <paramref name="after"/>, less the
    /// slots producers took of the <paramref name="offered"/> ones the statement withdraws; returns them and the slots
    /// the withdrawn offer still held (<c>fetch_jobs</c>). Not cancellable: the lease commits with the statement, so a
    /// fetch cut off while reading its rows would leave leased jobs that nobody runs until the rescuer finds them.
    /// </summary>
    public async Task<(List<FetchedJob> Jobs, int OffersLeft)> FetchAsync(string queue, int limit, FetchCursor after, int offered)
    {
        await using var cmd = _fetch
            .With("queue", queue)
            .With("limit", limit)
            .With("worker", workerId)
            .With("after_priority", after.Priority)
            // The head's DateTime.MinValue is sent as -infinity.
            .With("after_scheduled_at", after.IsHead ? DateTime.MinValue : after.ScheduledAt.UtcDateTime, NpgsqlDbType.TimestampTz)
            .With("after_id", after.Id)
            .With("synchronous_commit", _synchronousCommit, NpgsqlDbType.Text)
            .With("offered", offered)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        var at = new LeasedJobRow.Ordinals(r);
        var offersLeftAt = r.GetOrdinal("offers_left");
        var jobs = new List<FetchedJob>();
        var offersLeft = 0;
        while (await r.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            offersLeft = r.GetInt32(offersLeftAt);
            // With no job leased, the one row carries only the offer's count.
            if (!r.IsDBNull(at.Id))
            {
                jobs.Add(LeasedJobRow.Read(r, at));
            }
        }

        return (jobs, offersLeft);
    }
}
