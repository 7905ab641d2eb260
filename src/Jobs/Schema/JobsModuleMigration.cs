using JobPlatform.Core.Schema;
using JobPlatform.Hosting;
using Npgsql;

namespace JobPlatform.Jobs.Schema;

/// <summary>The catalogue's own tables (billing, shared rate limits), in the platform schema beside the job
/// tables so a handler's writes and its follow-up enqueues share one transaction. History: <c>jobs_migrations</c>.</summary>
public sealed class JobsModuleMigration : IModuleMigration
{
    /// <summary>The module name, also the history table's prefix.</summary>
    public const string Name = CatalogueSchema.Module;

    /// <inheritdoc />
    public string Module => Name;

    /// <summary>The catalogue's migrator for <paramref name="schema"/>.</summary>
    public static ModuleMigrator CreateMigrator(NpgsqlDataSource dataSource, string schema) =>
        CatalogueSchema.CreateMigrator(dataSource, schema);

    /// <inheritdoc />
    public Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken) =>
        CreateMigrator(dataSource, schema).MigrateAsync(cancellationToken);
}
