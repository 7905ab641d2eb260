using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>What the maintenance services share: running a statement that returns queue names, and waking them.</summary>
internal static class MaintenanceSql
{
    public static async Task<List<string>> ReadQueuesAsync(NpgsqlDataSource dataSource, string statement, CancellationToken ct, params object?[] args)
    {
        await using var cmd = DbCommands.Create(dataSource, statement, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var queues = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            queues.Add(reader.GetString(0));
        }

        return queues;
    }

    public static async Task NotifyAsync(NpgsqlDataSource dataSource, SqlCatalog sql, List<string> queues, CancellationToken ct)
    {
        if (queues.Count == 0)
        {
            return;
        }

        await using var cmd = DbCommands.Create(dataSource, sql["notify_queues"], sql.InsertChannel, queues.Distinct().ToArray());
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
