using JobPlatform.Core.HandOff;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core;

/// <summary>
/// Writes one group-committed batch of single enqueues (<see cref="GroupCommit"/>): a lone job that may go
/// straight to an idle worker's offered slot is handed off (<see cref="HandOffInsert"/>); everything else is
/// inserted in one statement, followed by one wake-up per queue with jobs due now.
/// </summary>
internal sealed class SingleInserts(NpgsqlDataSource dataSource, SqlCatalog sql, bool notify, bool handOff)
{
    private readonly HandOffInsert _handOff = new(sql);

    /// <summary>Writes and commits the batch; throws when it was not written.</summary>
    public async Task WriteAsync(IReadOnlyList<PreparedJob> batch)
    {
        var queues = notify
            ? batch.Where(j => j.State == JobState.Available).Select(j => j.Queue).Distinct().ToArray()
            : [];
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        if (batch.Count == 1 && handOff && HandOffInsert.MayHandOff(batch[0])
            && await _handOff.TryInsertAsync(connection, batch[0], wake: queues.Length > 0).ConfigureAwait(false))
        {
            return;
        }

        await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        send.BatchCommands.Add(batch.Count == 1
            ? DbCommands.BatchCommand(sql["insert_job"], [.. JobRows.Row(batch[0]), DbCommands.Typed<string?>(null, NpgsqlDbType.Text)])
            : DbCommands.BatchCommand(sql["insert_job_batch"], JobRows.Arrays(batch)));
        if (queues.Length > 0)
        {
            send.BatchCommands.Add(DbCommands.BatchCommand(sql["notify_queues"], sql.InsertChannel, queues));
        }

        await InsertThenWakeAsync(send).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an insert and then its wake-up as two transactions in one round trip (a Sync after each). A NOTIFY
    /// takes a database-wide lock from its commit until the commit is flushed, so inside the insert's transaction
    /// it would make concurrent enqueues of every client wait for each other's WAL flushes in turn; a transaction
    /// that only notifies writes no data and holds the lock briefly. If the wake-up fails, the insert is committed
    /// all the same and workers' polls find the jobs.
    /// </summary>
    internal static async Task InsertThenWakeAsync(NpgsqlBatch send)
    {
        await using var reader = await send.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException e) when (send.BatchCommands.Count > 1 && ReferenceEquals(e.BatchCommand, send.BatchCommands[1]))
        {
            // Only the wake-up failed; the insert had committed.
        }
    }
}
