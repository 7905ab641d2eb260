using JobPlatform.Core.Schema;
using Npgsql;

namespace JobPlatform.Jobs.Schema;

/// <summary>
/// The migrations of the job catalogue's own tables (billing, shared rate limits), kept here rather than with the
/// handlers so that <c>jobctl migrate</c> applies them without the handlers' dependencies: a deployment's migration
/// step then leaves workers no schema change to make.
/// </summary>
public static class CatalogueSchema
{
    /// <summary>The module's name, also its history table's prefix (<c>jobs_migrations</c>).</summary>
    public const string Module = "jobs";

    /// <summary>The catalogue's migrator for <paramref name="schema"/>; it applies its migrations under the same lock
    /// and in the same way as the platform's (safe to run concurrently and repeatedly).</summary>
    public static ModuleMigrator CreateMigrator(NpgsqlDataSource dataSource, string schema) =>
        new(dataSource, schema, Module, ModuleMigrator.FromResources(typeof(CatalogueSchema).Assembly, "JobPlatform.Jobs.Migrations."));
}
