using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// The leader's stager (after Oban's): promotes due scheduled and retryable jobs, and wakes every served queue
/// that has available jobs, which covers notifications lost on the way. One statement per run while idle.
/// </summary>
internal sealed class JobStager(NpgsqlDataSource dataSource, SqlCatalog sql, TimeSpan workerLostAfter)
{
    private const int BatchSize = 5000;
    private readonly MaintenanceStore _store = new(dataSource, sql);

    /// <summary>Promotes every due job (in batches) and wakes queues; returns how many jobs were promoted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var promoted = await _store.StageAsync(BatchSize, workerLostAfter, ct).ConfigureAwait(false);
            total += promoted;
            if (promoted < BatchSize)
            {
                return total;
            }
        }
    }
}
