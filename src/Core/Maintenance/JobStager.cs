using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// The leader's stager (after Oban's): promotes due scheduled and retryable jobs, and wakes every served queue
/// that has available jobs, which covers notifications lost on the way. One statement per run while idle.
/// </summary>
internal sealed class JobStager(NpgsqlDataSource dataSource, SqlCatalog sql, TimeSpan workerLostAfter)
{
    private const int BatchSize = 5000;

    /// <summary>Promotes every due job (in batches) and wakes queues; returns how many jobs were promoted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var cmd = DbCommands.Create(dataSource, sql["stage_jobs"], BatchSize, (long)workerLostAfter.TotalMilliseconds, sql.InsertChannel);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var promoted = (int)reader.GetInt64(0);
            total += promoted;
            if (promoted < BatchSize)
            {
                return total;
            }
        }
    }
}
