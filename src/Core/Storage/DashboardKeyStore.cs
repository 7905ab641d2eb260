using JobPlatform.Core.Audit;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>The statements behind <see cref="SharedKeyStore"/> (table <c>dashboard_keys</c>), one method each.</summary>
internal sealed class DashboardKeyStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>Every stored key's XML, oldest first (<c>dashboard_keys_list</c>).</summary>
    public async Task<List<string>> ListAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("dashboard_keys_list").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var xml = r.GetOrdinal("xml");
        var keys = new List<string>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            keys.Add(r.GetString(xml));
        }

        return keys;
    }

    /// <summary>Stores a key unless its name is taken (<c>dashboard_keys_store</c>).</summary>
    public async Task StoreAsync(string name, string xml, CancellationToken ct)
    {
        await using var cmd = sql.Statement("dashboard_keys_store").With("name", name).With("xml", xml).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
