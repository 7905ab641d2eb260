using JobPlatform.Core.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>The migrate-on-start step every host shares (advisory-locked, so replicas starting together are safe).</summary>
internal static class StartupMigration
{
    public static async Task RunAsync(NpgsqlDataSource dataSource, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await new JobPlatformMigrator(dataSource, schema).MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied schema migrations {Versions} to schema {Schema}", applied, schema);
        }
    }
}
