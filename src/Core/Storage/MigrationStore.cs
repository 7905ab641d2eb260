using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements of a migration run, on the connection and transaction the migrator holds: its lock, the history
/// table <paramref name="historyTable"/> (<c>migrations</c>, or <c>&lt;module&gt;_migrations</c>, validated by the
/// caller), and each migration file's text.
/// </summary>
internal sealed class MigrationStore(SqlCatalog sql, string historyTable)
{
    /// <summary>The placeholder the history statements name their table with.</summary>
    private const string HistoryTable = "history_table";

    /// <summary>Waits for the advisory lock named <paramref name="name"/> until the transaction ends (<c>migration_lock</c>).</summary>
    public async Task LockAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var cmd = sql.Statement("migration_lock").With("name", name).Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Creates the schema and the history table if missing (<c>migration_history_create</c>).</summary>
    public async Task CreateHistoryAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = sql.Statement("migration_history_create").Splice(HistoryTable, historyTable).Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Whether the history table exists (<c>migration_history_exists</c>).</summary>
    public async Task<bool> HistoryExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = sql.Statement("migration_history_exists").With("table", sql.Schema + "." + historyTable).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetBoolean(r.GetOrdinal("present"));
    }

    /// <summary>The versions recorded as applied (<c>migration_history_read</c>).</summary>
    public async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = sql.Statement("migration_history_read").Splice(HistoryTable, historyTable).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var version = r.GetOrdinal("version");
        var versions = new HashSet<int>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            versions.Add(r.GetInt32(version));
        }

        return versions;
    }

    /// <summary>Runs one migration file (its own text, not a catalog statement) and records it
    /// (<c>migration_history_record</c>).</summary>
    public async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        await using (var cmd = new NpgsqlCommand(migration.Sql, connection))
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var record = sql.Statement("migration_history_record").Splice(HistoryTable, historyTable)
            .With("version", migration.Version).With("name", migration.Name).Command(connection);
        await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
