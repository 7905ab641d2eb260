using JobPlatform.Core.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JobPlatform.Hosting;

/// <summary>Ready when PostgreSQL answers and the schema is at the version this build expects.</summary>
internal sealed class DatabaseReadyCheck(NpgsqlDataSource dataSource, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var schema = configuration[JobPlatformDatabaseExtensions.SchemaKey] ?? Core.Sql.SchemaName.Default;
        try
        {
            var migrator = new JobPlatformMigrator(dataSource, schema);
            var version = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            return version == migrator.LatestVersion
                ? HealthCheckResult.Healthy($"schema {schema} at version {version}")
                : HealthCheckResult.Unhealthy($"schema {schema} is at version {version}, this build needs {migrator.LatestVersion}: run jobctl migrate");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + e.Message);
        }
    }
}
