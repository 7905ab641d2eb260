using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core.Schema;

/// <summary>
/// Applies the numbered schema migrations embedded in this library. Safe to run from many processes at
/// once: each run holds a transaction-scoped advisory lock for its schema, and all pending migrations are
/// applied in one transaction, so a failed migration leaves the schema as it was.
/// </summary>
public sealed class JobPlatformMigrator
{
    private const string HistoryTable = "migrations";

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
    internal Task<IReadOnlyList<int>> MigrateToAsync(int version, CancellationToken cancellationToken) =>
        MigrationSteps.ApplyAsync(_dataSource, _sql.Schema, HistoryTable, _sql.Migrations, version, cancellationToken);

    /// <summary>The highest applied version, or 0 when the schema has never been migrated.</summary>
    public Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default) =>
        MigrationSteps.CurrentVersionAsync(_dataSource, _sql.Schema, HistoryTable, cancellationToken);
}
