using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>Moves scheduled and retryable jobs whose time has come to available, and wakes their queues.</summary>
internal sealed class JobPromoter(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    private const int BatchSize = 5000;

    /// <summary>Promotes every due job (in batches); returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var queues = await MaintenanceSql.ReadQueuesAsync(dataSource, sql["promote_due"], ct, BatchSize).ConfigureAwait(false);
            total += queues.Count;
            await MaintenanceSql.NotifyAsync(dataSource, sql, queues, ct).ConfigureAwait(false);
            if (queues.Count < BatchSize)
            {
                return total;
            }
        }
    }
}
