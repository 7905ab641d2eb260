using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core.Schema;

/// <summary>The migrate loop shared by the platform's and modules' migrators: one transaction, one advisory lock
/// per schema and history table, each pending file applied and recorded in order.</summary>
internal static class MigrationSteps
{
    /// <summary>The highest version recorded in <paramref name="historyTable"/>, or 0 when it does not exist yet.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlDataSource dataSource, string schema, string historyTable, CancellationToken cancellationToken)
    {
        var store = new MigrationStore(SqlCatalog.For(schema), historyTable);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!await store.HistoryExistsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var applied = await store.ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        return applied.Count == 0 ? 0 : applied.Max();
    }

    public static async Task<IReadOnlyList<int>> ApplyAsync(
        NpgsqlDataSource dataSource, string schema, string historyTable, IReadOnlyList<Migration> migrations, int upTo, CancellationToken ct)
    {
        var store = new MigrationStore(SqlCatalog.For(schema), historyTable);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await store.LockAsync(connection, "jobplatform.migrate:" + schema, ct).ConfigureAwait(false);
        await store.CreateHistoryAsync(connection, ct).ConfigureAwait(false);

        var applied = await store.ReadAppliedAsync(connection, ct).ConfigureAwait(false);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > latest)
        {
            throw new InvalidOperationException(
                $"\"{schema}\".{historyTable} records migration {applied.Max()}, newer than this build knows ({latest}); " +
                "upgrade this process instead of migrating down.");
        }

        var done = new List<int>();
        foreach (var migration in migrations.Where(m => m.Version <= upTo && !applied.Contains(m.Version)))
        {
            await store.ApplyAsync(connection, migration, ct).ConfigureAwait(false);
            done.Add(migration.Version);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return done;
    }
}
