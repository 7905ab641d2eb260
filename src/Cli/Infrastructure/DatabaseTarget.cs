using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Cli;

/// <summary>
/// A parsed connection string and schema. Only <see cref="Endpoint"/> (host and port) ever appears in
/// output: the connection string may hold a password.
/// </summary>
internal sealed class DatabaseTarget
{
    private readonly string _connectionString;

    private DatabaseTarget(string connectionString, string endpoint, string schema)
    {
        _connectionString = connectionString;
        Endpoint = endpoint;
        Schema = schema;
    }

    /// <summary><c>host:port</c>, for messages.</summary>
    public string Endpoint { get; }

    /// <summary>The schema of the job tables.</summary>
    public string Schema { get; }

    /// <exception cref="CliUsageException">The connection string or the schema name is not valid.</exception>
    public static DatabaseTarget Parse(string connectionString, string schema)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names at most a keyword, never a value.
            throw new CliUsageException(
                $"the connection string (--database or {GlobalOptions.DatabaseVariable}) is not valid: {Messages.Of(e)}. " +
                "Use the form \"Host=…;Port=5432;Username=…;Password=…;Database=…\".");
        }

        ValidateSchema(schema, "--schema");
        builder.ApplicationName ??= "jobctl";
        ConnectionDefaults.Apply(builder);
        var host = builder.Host is { Length: > 0 } h ? h : "(no Host)";
        var endpoint = host.Contains(',') ? host : $"{host}:{builder.Port}";
        return new DatabaseTarget(builder.ConnectionString, endpoint, schema);
    }

    /// <summary>A target for another schema on the same server (the benchmark's own).</summary>
    /// <exception cref="CliUsageException">The schema name is not valid; the message names <paramref name="option"/>.</exception>
    public DatabaseTarget WithSchema(string schema, string option)
    {
        ValidateSchema(schema, option);
        return new DatabaseTarget(_connectionString, Endpoint, schema);
    }

    /// <summary>Opens nothing yet: Npgsql connects on first use.</summary>
    public CliDatabase Connect() => new(this, CreateDataSource());

    /// <summary>Another data source on the same target, with its own pool (the benchmark's idle workers).</summary>
    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(_connectionString);

    private static void ValidateSchema(string schema, string option)
    {
        // Core's public check of the name, the same one the client, the engine and the migrator apply.
        var errors = new JobEngineOptions { Schema = schema }.Validate();
        if (errors.Count > 0)
        {
            throw new CliUsageException($"{option}: {Messages.WithoutParameter(errors[0])}");
        }
    }
}
