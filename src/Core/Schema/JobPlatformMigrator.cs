using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Schema;

/// <summary>
/// Applies the numbered schema migrations embedded in this library. Safe to run from many processes at
/// once: each run holds a transaction-scoped advisory lock for its schema, and all pending migrations are
/// applied in one transaction, so a failed migration leaves the schema as it was.
/// </summary>
public sealed class JobPlatformMigrator
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;

    /// <summary>Creates a migrator for <paramref name="schema"/> (default <c>jobplatform</c>).</summary>
    public JobPlatformMigrator(NpgsqlDataSource dataSource, string schema = SchemaName.Default)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _sql = SqlCatalog.For(schema);
    }

    /// <summary>The highest migration version this library knows.</summary>
    public int LatestVersion => _sql.Migrations[^1].Version;

    /// <summary>Applies every pending migration; returns the versions applied (empty when up to date).</summary>
    /// <exception cref="InvalidOperationException">The database holds a newer schema than this library knows.</exception>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateToAsync(LatestVersion, cancellationToken);

    /// <summary>Applies pending migrations up to and including <paramref name="version"/> (tests of upgrades).</summary>
    internal async Task<IReadOnlyList<int>> MigrateToAsync(int version, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var quoted = "\"" + _sql.Schema + "\"";
        await DbCommands.AdvisoryXactLockAsync(connection, "jobplatform.migrate:" + _sql.Schema, cancellationToken).ConfigureAwait(false);

        await using (var init = DbCommands.Create(connection,
            $"CREATE SCHEMA IF NOT EXISTS {quoted}; " +
            $"CREATE TABLE IF NOT EXISTS {quoted}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"))
        {
            await init.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = await ReadAppliedAsync(connection, quoted, cancellationToken).ConfigureAwait(false);
        EnsureNotNewer(applied);
        var done = new List<int>();
        foreach (var migration in _sql.Migrations.Where(m => m.Version <= version && !applied.Contains(m.Version)))
        {
            await using (var cmd = DbCommands.Create(connection, migration.Sql))
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = DbCommands.Create(connection, $"INSERT INTO {quoted}.migrations (version, name) VALUES ($1, $2)", migration.Version, migration.Name))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            done.Add(migration.Version);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>The highest applied version, or 0 when the schema has never been migrated.</summary>
    public async Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = DbCommands.Create(connection, "SELECT to_regclass($1) IS NOT NULL", _sql.Schema + ".migrations");
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        var applied = await ReadAppliedAsync(connection, "\"" + _sql.Schema + "\"", cancellationToken).ConfigureAwait(false);
        return applied.Count == 0 ? 0 : applied.Max();
    }

    private void EnsureNotNewer(HashSet<int> applied)
    {
        if (applied.Count > 0 && applied.Max() > LatestVersion)
        {
            throw new InvalidOperationException(
                $"Schema '{_sql.Schema}' is at migration {applied.Max()}, newer than this build knows ({LatestVersion}); " +
                "upgrade this process instead of migrating down.");
        }
    }

    private static async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, string quotedSchema, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(connection, $"SELECT version FROM {quotedSchema}.migrations");
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
