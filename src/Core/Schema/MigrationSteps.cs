using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Schema;

/// <summary>The migrate loop shared by the platform's and modules' migrators: one transaction, one advisory lock
/// per schema and history table, each pending file applied and recorded in order.</summary>
internal static class MigrationSteps
{
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        NpgsqlDataSource dataSource, string schema, string historyTable, IReadOnlyList<Migration> migrations, int upTo, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var quoted = "\"" + schema + "\"";
        await DbCommands.AdvisoryXactLockAsync(connection, "jobplatform.migrate:" + schema, ct).ConfigureAwait(false);

        await using (var init = DbCommands.Create(connection,
            $"CREATE SCHEMA IF NOT EXISTS {quoted}; " +
            $"CREATE TABLE IF NOT EXISTS {quoted}.{historyTable} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"))
        {
            await init.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var applied = await ReadAppliedAsync(connection, quoted, historyTable, ct).ConfigureAwait(false);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > latest)
        {
            throw new InvalidOperationException(
                $"{quoted}.{historyTable} records migration {applied.Max()}, newer than this build knows ({latest}); " +
                "upgrade this process instead of migrating down.");
        }

        var done = new List<int>();
        foreach (var migration in migrations.Where(m => m.Version <= upTo && !applied.Contains(m.Version)))
        {
            await using (var cmd = DbCommands.Create(connection, migration.Sql))
            {
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using (var record = DbCommands.Create(connection, $"INSERT INTO {quoted}.{historyTable} (version, name) VALUES ($1, $2)", migration.Version, migration.Name))
            {
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            done.Add(migration.Version);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return done;
    }

    public static async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, string quotedSchema, string historyTable, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(connection, $"SELECT version FROM {quotedSchema}.{historyTable}");
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
