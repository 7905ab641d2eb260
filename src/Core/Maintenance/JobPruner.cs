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
        var completed = (long)options.CompletedRetention.TotalMilliseconds;
        var discarded = (long)options.DiscardedRetention.TotalMilliseconds;
        var total = await PruneAsync("prune_archive", [completed], ct).ConfigureAwait(false);
        foreach (var (state, retention) in new[]
                 {
                     (JobState.Completed, completed),
                     (JobState.Discarded, discarded),
                     (JobState.Cancelled, discarded),
                 })
        {
            total += await PruneAsync("prune_finished", [state.ToDb(), retention], ct).ConfigureAwait(false);
        }

        // Worker rows are kept well past the rescue window so the dashboard can show recently lost workers.
        await using var bookkeeping = DbCommands.Create(dataSource, sql["prune_bookkeeping"],
            (long)options.StatsRetention.TotalMilliseconds, (long)TimeSpan.FromHours(1).TotalMilliseconds);
        await bookkeeping.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return total;
    }

    /// <summary>Runs a pruning statement in batches until a batch comes back short; its last argument is the batch size.</summary>
    private async Task<int> PruneAsync(string statement, object[] args, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            // A job retried by an operator as it is pruned moves out of the archive under the delete.
            deleted = await DbCommands.RetryIfRowMovedAsync(async () =>
            {
                await using var cmd = DbCommands.Create(dataSource, sql[statement], [.. args, options.Tuning.PruneBatchSize]);
                return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted >= options.Tuning.PruneBatchSize);
        return total;
    }
}
