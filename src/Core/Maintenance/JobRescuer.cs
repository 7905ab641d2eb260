using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Finds running jobs whose worker stopped heartbeating (crashed, killed, partitioned) and makes them available
/// again at once, recording the lost attempt as an error; a job on its last attempt is discarded instead.
/// </summary>
internal sealed class JobRescuer(NpgsqlDataSource dataSource, SqlCatalog sql, TimeSpan lostAfter, string rescuerId)
{
    private const int BatchSize = 1000;

    /// <summary>Rescues every lost job (in batches); returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            // A lost worker may still complete a job as it is rescued, moving its row to the archive.
            var queues = await DbCommands.RetryIfRowMovedAsync(() => MaintenanceSql.ReadQueuesAsync(dataSource, sql["rescue_lost"], ct,
                (long)lostAfter.TotalMilliseconds, BatchSize, rescuerId)).ConfigureAwait(false);
            total += queues.Count;
            await MaintenanceSql.NotifyAsync(dataSource, sql, queues, ct).ConfigureAwait(false);
            if (queues.Count < BatchSize)
            {
                return total;
            }
        }
    }
}
