using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Deletes finished jobs past their retention in small batches (short locks, no bloat spike), and old
/// statistics and worker rows.
/// </summary>
internal sealed class JobPruner(NpgsqlDataSource dataSource, SqlCatalog sql, JobEngineOptions options)
{
    /// <summary>How long worker rows are kept, well past the rescue window, so the dashboard can show recently lost workers.</summary>
    private static readonly TimeSpan WorkerRetention = TimeSpan.FromHours(1);

    private readonly MaintenanceStore _store = new(dataSource, sql);

    /// <summary>Prunes everything past retention; returns the number of jobs deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var batch = options.Tuning.PruneBatchSize;
        var total = await InBatchesAsync(() => _store.PruneArchiveAsync(options.CompletedRetention, batch, ct)).ConfigureAwait(false);
        foreach (var (state, retention) in new[]
                 {
                     (JobState.Completed, options.CompletedRetention),
                     (JobState.Discarded, options.DiscardedRetention),
                     (JobState.Cancelled, options.DiscardedRetention),
                 })
        {
            total += await InBatchesAsync(() => _store.PruneFinishedAsync(state, retention, batch, ct)).ConfigureAwait(false);
        }

        await _store.PruneBookkeepingAsync(options.StatsRetention, WorkerRetention, ct).ConfigureAwait(false);
        return total;
    }

    /// <summary>Runs a pruning statement until a batch comes back short.</summary>
    private async Task<int> InBatchesAsync(Func<Task<int>> prune)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await prune().ConfigureAwait(false);
            total += deleted;
        }
        while (deleted >= options.Tuning.PruneBatchSize);
        return total;
    }
}
