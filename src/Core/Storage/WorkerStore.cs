using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// One worker's own rows: its registration and heartbeat (with the maintenance lease and its handed jobs), resigning the
/// lease and unregistering at shutdown, and the cancellation requests for its running jobs. One method per statement;
/// <c>Core/Heartbeat</c> decides when each runs.
/// </summary>
internal sealed class WorkerStore(NpgsqlDataSource dataSource, SqlCatalog sql, string workerId)
{
    /// <summary>
    /// Registers or refreshes this worker (<paramref name="host"/>, <paramref name="pid"/>, <paramref name="queues"/> with
    /// their <paramref name="slots"/>) and, with a <paramref name="role"/>, takes or extends that lease for
    /// <paramref name="lease"/> (<c>heartbeat</c>). Returns whether it leads, the handed jobs running here, and those
    /// of them handed longer than <paramref name="lostAfter"/> ago.
    /// </summary>
    public async Task<(bool Leads, Guid[] Handed, Guid[] Stale)> BeatAsync(string host, int pid, string[] queues, int[] slots,
        string? role, TimeSpan lease, TimeSpan lostAfter, CancellationToken ct)
    {
        await using var cmd = sql.Statement("heartbeat")
            .With("worker", workerId)
            .With("host", host)
            .With("pid", pid)
            .With("queues", queues)
            .With("slots", slots)
            .With("role", role, NpgsqlDbType.Text)
            .With("lease_ms", (long)lease.TotalMilliseconds)
            .With("lost_after_ms", (long)lostAfter.TotalMilliseconds)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (r.GetBoolean(r.GetOrdinal("leads")), r.GetFieldValue<Guid[]>(r.GetOrdinal("handed")), r.GetFieldValue<Guid[]>(r.GetOrdinal("stale")));
    }

    /// <summary>Gives up the lease <paramref name="role"/> if this worker holds it (<c>resign_leader</c>).</summary>
    public async Task ResignAsync(string role, CancellationToken ct)
    {
        await using var cmd = sql.Statement("resign_leader").With("role", role).With("worker", workerId).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Removes this worker's row (<c>unregister_worker</c>).</summary>
    public async Task UnregisterAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("unregister_worker").With("worker", workerId).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The running jobs of this worker that an operator asked to cancel (<c>cancel_requests</c>).</summary>
    public async Task<List<Guid>> CancelRequestsAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("cancel_requests").With("worker", workerId).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var id = r.GetOrdinal("id");
        var ids = new List<Guid>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(r.GetGuid(id));
        }

        return ids;
    }
}
