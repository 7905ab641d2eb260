using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Maintenance;

/// <summary>
/// Elects one maintenance leader among all workers with a lease row: the holder extends it every third of the
/// lease; when it stops doing so (crash, partition), another candidate takes over once the lease expires.
/// </summary>
internal sealed class LeaderElector(NpgsqlDataSource dataSource, SqlCatalog sql, string candidateId, TimeSpan lease)
{
    public const string MaintenanceRole = "maintenance";

    /// <summary>Takes or extends the lease; true when this candidate holds it afterwards.</summary>
    public async Task<bool> TryElectAsync(CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(dataSource, sql["elect_leader"], MaintenanceRole, candidateId, (long)lease.TotalMilliseconds);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is string;
    }

    /// <summary>Gives the lease up (on shutdown) so another worker takes over without waiting for expiry.</summary>
    public async Task ResignAsync(CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(dataSource, sql["resign_leader"], MaintenanceRole, candidateId);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
