using Npgsql;

namespace JobPlatform.Core.Sql;

/// <summary>Small helpers to build positional-parameter commands from named statements.</summary>
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

    /// <summary>
    /// Runs <paramref name="statement"/> again when PostgreSQL reports a serialization failure. In READ COMMITTED
    /// that only happens when a row the statement waited for was moved to another partition meanwhile (a job
    /// archived by its completion, or moved back by a retry); the next run finds the row where it now is.
    /// </summary>
    public static async Task<T> RetryIfRowMovedAsync<T>(Func<Task<T>> statement)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await statement().ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < MovedRowAttempts)
            {
            }
        }
    }

    private const int MovedRowAttempts = 5;

    /// <summary>Waits for the transaction-scoped advisory lock named <paramref name="name"/>; it is released at commit or rollback.</summary>
    public static async Task AdvisoryXactLockAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A typed null or value parameter, for columns where the type cannot be inferred from DBNull.</summary>
    public static NpgsqlParameter<T> Typed<T>(T value, NpgsqlTypes.NpgsqlDbType type) => new() { TypedValue = value, NpgsqlDbType = type };

    public static T? GetNullable<T>(this NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
