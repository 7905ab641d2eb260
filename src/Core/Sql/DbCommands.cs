using Npgsql;

namespace JobPlatform.Core.Sql;

/// <summary>
/// Positional-parameter commands, for the statements of the delivery path that are still written with <c>$1, $2…</c>;
/// everything else binds by name through <see cref="SqlStatement"/>.
/// </summary>
internal static class DbCommands
{
    public static NpgsqlCommand Create(NpgsqlConnection connection, string sql, params object?[] args) =>
        WithArgs(new NpgsqlCommand(sql, connection), args);

    public static NpgsqlCommand Create(NpgsqlDataSource dataSource, string sql, params object?[] args) =>
        WithArgs(dataSource.CreateCommand(sql), args);

    /// <summary>One statement of an <see cref="NpgsqlBatch"/>, with positional arguments.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddArgs(command.Parameters, args);
        return command;
    }

    private static NpgsqlCommand WithArgs(NpgsqlCommand command, object?[] args)
    {
        AddArgs(command.Parameters, args);
        return command;
    }

    private static void AddArgs(NpgsqlParameterCollection parameters, object?[] args)
    {
        foreach (var arg in args)
        {
            parameters.Add(arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
    }

    /// <summary>Waits for the transaction-scoped advisory lock named <paramref name="name"/>; it is released at commit or rollback.</summary>
    public static async Task AdvisoryXactLockAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A typed null or value parameter, for columns where the type cannot be inferred from DBNull.</summary>
    public static NpgsqlParameter<T> Typed<T>(T value, NpgsqlTypes.NpgsqlDbType type) => new() { TypedValue = value, NpgsqlDbType = type };
}
