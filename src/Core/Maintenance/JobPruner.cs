using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Deletes finished jobs past their retention in small batches (short locks, no bloat spike), and old
/// statistics and worker rows.
/// </summary>
internal sealed class JobPruner(NpgsqlDataSource dataSource, SqlCatalog sql, JobEngineOptions options)
{
    /// <summary>Prunes everything past retention; returns the number of jobs deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        foreach (var (state, retention) in new[]
                 {
                     (JobState.Completed, options.CompletedRetention),
                     (JobState.Discarded, options.DiscardedRetention),
                     (JobState.Cancelled, options.DiscardedRetention),
                 })
        {
            int deleted;
            do
            {
                await using var cmd = DbCommands.Create(dataSource, sql["prune_finished"], state.ToDb(), (long)retention.TotalMilliseconds, options.PruneBatchSize);
                deleted = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                total += deleted;
            }
            while (deleted >= options.PruneBatchSize);
        }

        // Worker rows are kept well past the rescue window so the dashboard can show recently lost workers.
        await using var bookkeeping = DbCommands.Create(dataSource, sql["prune_bookkeeping"],
            (long)options.StatsRetention.TotalMilliseconds, (long)TimeSpan.FromHours(1).TotalMilliseconds);
        await bookkeeping.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return total;
    }
}
