using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Audit;

/// <summary>
/// Key material that every replica of an operators' tool must share, stored in PostgreSQL (table
/// <c>dashboard_keys</c>): the dashboard keeps its cookie-protection keys here, so a session signed in on one
/// replica is valid on all. Keys are written once and never changed. Whoever can read the table can forge
/// dashboard sessions: grant it like the job tables themselves.
/// </summary>
public sealed class SharedKeyStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;

    /// <summary>Creates the store on a client's database and schema.</summary>
    public SharedKeyStore(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _dataSource = client.DataSource;
        _sql = client.Sql;
    }

    /// <summary>Every stored key, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["dashboard_keys_list"]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Stores a key under <paramref name="name"/>; a name already stored keeps its first key.</summary>
    public async Task StoreAsync(string name, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        await using var cmd = DbCommands.Create(_dataSource, _sql["dashboard_keys_store"], name, xml);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
