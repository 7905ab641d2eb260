using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The leader's maintenance statements: staging due jobs, rescuing the jobs of lost workers, pruning finished jobs
/// and old bookkeeping. One method per statement; the services in <c>Core/Maintenance</c> decide when and how often.
/// The rescued jobs' queues are woken through <see cref="InsertStore.NotifyQueuesAsync"/>, the wake-up every writer shares.
/// </summary>
internal sealed class MaintenanceStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>Promotes up to <paramref name="batchSize"/> due jobs and wakes the queues with available jobs that a
    /// worker live within <paramref name="liveWindow"/> serves; returns how many were promoted (<c>stage_jobs</c>).</summary>
    public async Task<int> StageAsync(int batchSize, TimeSpan liveWindow, CancellationToken ct)
    {
        await using var cmd = sql.Statement("stage_jobs")
            .With("batch_size", batchSize)
            .With("live_window_ms", Milliseconds(liveWindow))
            .With("insert_channel", sql.InsertChannel)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (int)r.GetInt64(r.GetOrdinal("promoted"));
    }

    /// <summary>Returns up to <paramref name="batchSize"/> running jobs of workers silent for <paramref name="lostAfter"/>
    /// to their queues (or discards them); returns the queue of each (<c>rescue_lost</c>).</summary>
    public Task<List<string>> RescueLostAsync(TimeSpan lostAfter, int batchSize, string rescuerId, CancellationToken ct) =>
        // A lost worker may still complete a job as it is rescued, moving its row to the archive.
        MovedRow.RetryAsync(async () =>
        {
            await using var cmd = sql.Statement("rescue_lost")
                .With("lost_after_ms", Milliseconds(lostAfter))
                .With("batch_size", batchSize)
                .With("rescuer", rescuerId)
                .Command(dataSource);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var queue = r.GetOrdinal("queue");
            var queues = new List<string>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                queues.Add(r.GetString(queue));
            }

            return queues;
        });

    /// <summary>Deletes up to <paramref name="batchSize"/> archived jobs finalized longer than <paramref name="retention"/>
    /// ago; returns how many (<c>prune_archive</c>).</summary>
    public Task<int> PruneArchiveAsync(TimeSpan retention, int batchSize, CancellationToken ct) =>
        // A job retried by an operator as it is pruned moves out of the archive under the delete.
        MovedRow.RetryAsync(async () =>
        {
            await using var cmd = sql.Statement("prune_archive")
                .With("retention_ms", Milliseconds(retention))
                .With("batch_size", batchSize)
                .Command(dataSource);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        });

    /// <summary>Deletes up to <paramref name="batchSize"/> live jobs in final <paramref name="state"/> finalized longer
    /// than <paramref name="retention"/> ago; returns how many (<c>prune_finished</c>).</summary>
    public Task<int> PruneFinishedAsync(JobState state, TimeSpan retention, int batchSize, CancellationToken ct) =>
        MovedRow.RetryAsync(async () =>
        {
            await using var cmd = sql.Statement("prune_finished")
                .With("state", state.ToDb())
                .With("retention_ms", Milliseconds(retention))
                .With("batch_size", batchSize)
                .Command(dataSource);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        });

    /// <summary>Drops per-minute statistics older than <paramref name="statsRetention"/> and worker rows silent for
    /// longer than <paramref name="workersRetention"/> (<c>prune_bookkeeping</c>).</summary>
    public async Task PruneBookkeepingAsync(TimeSpan statsRetention, TimeSpan workersRetention, CancellationToken ct)
    {
        await using var cmd = sql.Statement("prune_bookkeeping")
            .With("stats_retention_ms", Milliseconds(statsRetention))
            .With("workers_retention_ms", Milliseconds(workersRetention))
            .Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;
}
