using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Finds running jobs whose worker stopped heartbeating (crashed, killed, partitioned) and makes them available
/// again at once, recording the lost attempt as an error; a job on its last attempt is discarded instead.
/// </summary>
internal sealed class JobRescuer(NpgsqlDataSource dataSource, SqlCatalog sql, TimeSpan lostAfter, string rescuerId)
{
    private const int BatchSize = 1000;
    private readonly MaintenanceStore _store = new(dataSource, sql);
    private readonly InsertStore _wakeUps = new(dataSource, sql);

    /// <summary>Rescues every lost job (in batches); returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var queues = await _store.RescueLostAsync(lostAfter, BatchSize, rescuerId, ct).ConfigureAwait(false);
            total += queues.Count;
            if (queues.Count > 0)
            {
                await _wakeUps.NotifyQueuesAsync(null, queues.Distinct().ToArray(), ct).ConfigureAwait(false);
            }

            if (queues.Count < BatchSize)
            {
                return total;
            }
        }
    }
}
