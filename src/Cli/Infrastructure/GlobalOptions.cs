using System.CommandLine;

namespace JobPlatform.Cli;

/// <summary>The options every command takes: which database and which schema.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Environment variable read when <c>--database</c> is not given (the hosts' connection string key).</summary>
    public const string DatabaseVariable = "ConnectionStrings__JobPlatform";

    /// <summary>Environment variable read when <c>--schema</c> is not given (the hosts' <c>JobPlatform:Schema</c>).</summary>
    public const string SchemaVariable = "JobPlatform__Schema";

    /// <summary>Schema used when neither <c>--schema</c> nor the environment names one.</summary>
    public const string DefaultSchema = "jobplatform";

    public Option<string?> Database { get; } = new("--database")
    {
        Description = $"PostgreSQL connection string [default: env {DatabaseVariable}]",
        HelpName = "connection-string",
        Recursive = true,
    };

    public Option<string?> Schema { get; } = new("--schema")
    {
        Description = $"Schema holding the job tables [default: env {SchemaVariable}, else {DefaultSchema}]",
        HelpName = "name",
        Recursive = true,
    };

    /// <summary>The schema named by <c>--schema</c>, the environment, or the default.</summary>
    public string ResolveSchema(ParseResult parse, CliContext context) =>
        parse.GetValue(Schema) ?? context.GetEnvironment(SchemaVariable) ?? DefaultSchema;

    /// <summary>The database to use; remembered on <paramref name="context"/> so errors can name it.</summary>
    /// <exception cref="CliUsageException">No connection string given, or it cannot be parsed.</exception>
    public DatabaseTarget ResolveTarget(ParseResult parse, CliContext context)
    {
        var connectionString = parse.GetValue(Database) ?? context.GetEnvironment(DatabaseVariable)
            ?? throw new CliUsageException(
                $"no database given: pass --database \"Host=…;Username=…;Password=…;Database=…\" or set {DatabaseVariable}.");
        var target = DatabaseTarget.Parse(connectionString, ResolveSchema(parse, context));
        context.Target = target;
        return target;
    }
}
