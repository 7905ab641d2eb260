using JobPlatform.Core.Storage;

namespace JobPlatform.Core.Audit;

/// <summary>
/// Key material that every replica of an operators' tool must share, stored in PostgreSQL (table
/// <c>dashboard_keys</c>): the dashboard keeps its cookie-protection keys here, so a session signed in on one
/// replica is valid on all. Keys are written once and never changed. Whoever can read the table can forge
/// dashboard sessions: grant it like the job tables themselves.
/// </summary>
public sealed class SharedKeyStore
{
    private readonly DashboardKeyStore _store;

    /// <summary>Creates the store on a client's database and schema.</summary>
    public SharedKeyStore(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _store = new DashboardKeyStore(client.DataSource, client.Sql);
    }

    /// <summary>Every stored key, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        await _store.ListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Stores a key under <paramref name="name"/>; a name already stored keeps its first key.</summary>
    public async Task StoreAsync(string name, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        await _store.StoreAsync(name, xml, cancellationToken).ConfigureAwait(false);
    }
}
