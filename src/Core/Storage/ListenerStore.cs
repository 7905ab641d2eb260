using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements of the notification listener's connection: LISTEN on the catalog's channels and on the worker's
/// hand-off channel, the advisory lock that makes its slot offers live, and the keep-alive ping. LISTEN takes
/// identifiers, not parameters: the channel names are spliced in as quoted identifiers, once, when the store is made.
/// </summary>
internal sealed class ListenerStore
{
    private readonly SqlStatement _listen;
    private readonly SqlStatement? _listenHandOff;
    private readonly SqlStatement _lockHandOff;
    private readonly SqlStatement _ping;

    /// <param name="sql">The schema's statements and channel names.</param>
    /// <param name="handOffChannel">The worker's hand-off channel; null when hand-off is off.</param>
    public ListenerStore(SqlCatalog sql, string? handOffChannel)
    {
        _listen = sql.Statement("listener_listen")
            .Splice("insert_channel", Quoted(sql.InsertChannel))
            .Splice("cancel_channel", Quoted(sql.CancelChannel));
        _listenHandOff = handOffChannel is null ? null : sql.Statement("listener_listen_hand_off").Splice("hand_off_channel", Quoted(handOffChannel));
        _lockHandOff = sql.Statement("listener_lock_hand_off");
        _ping = sql.Statement("listener_ping");
    }

    /// <summary>Listens for inserts and cancellation requests on <paramref name="connection"/> (<c>listener_listen</c>).</summary>
    public async Task ListenAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = _listen.Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Listens on the worker's hand-off channel (<c>listener_listen_hand_off</c>).</summary>
    public async Task ListenHandOffAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var statement = _listenHandOff ?? throw new InvalidOperationException("This listener has no hand-off channel.");
        await using var cmd = statement.Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Takes the session advisory lock <paramref name="lockKey"/> if no session holds it; returns whether it did
    /// (<c>listener_lock_hand_off</c>).</summary>
    public async Task<bool> TryLockHandOffAsync(NpgsqlConnection connection, long lockKey, CancellationToken ct)
    {
        await using var cmd = _lockHandOff.With("lock_key", lockKey).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) && r.GetBoolean(r.GetOrdinal("locked"));
    }

    /// <summary>Proves the connection is alive (<c>listener_ping</c>).</summary>
    public async Task PingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = _ping.Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A channel name as a quoted identifier, any double quote doubled, so that no name can end the identifier.</summary>
    internal static string Quoted(string channel) => "\"" + channel.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
