using JobPlatform.Core.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>The migrate-on-start step every host shares (advisory-locked, so replicas starting together are safe).</summary>
internal static class StartupMigration
{
    public static async Task RunAsync(NpgsqlDataSource dataSource, string schema, ILogger logger, CancellationToken cancellationToken,
        IEnumerable<IModuleMigration>? modules = null)
    {
        var applied = await new JobPlatformMigrator(dataSource, schema).MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied schema migrations {Versions} to schema {Schema}", applied, schema);
        }

        foreach (var module in modules ?? [])
        {
            var moduleApplied = await module.MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            if (moduleApplied.Count > 0)
            {
                logger.LogInformation("Applied {Module} migrations {Versions} to schema {Schema}", module.Module, moduleApplied, schema);
            }
        }
    }
}
