using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using JobPlatform.Core.Schema;
using JobPlatform.Core.Storage;

namespace JobPlatform.Core.Sql;

/// <summary>
/// The named SQL statements embedded in this assembly, loaded once per schema: placeholders expanded and
/// <c>@name</c> parameters numbered (see <see cref="NamedParameters"/>). Only the storage layer runs them.
/// </summary>
/// <remarks>
/// Placeholders: <c>{{schema}}</c> is the quoted schema; <c>{{job_columns}}</c> is the job row that
/// <see cref="JobRow"/> reads, and <c>{{job_columns:j}}</c> the same columns of the table aliased <c>j</c>;
/// <c>{{leased_columns}}</c> (and <c>{{leased_columns:j}}</c>) the leased job that <see cref="LeasedJobRow"/> reads. Any
/// other <c>{{name}}</c> is an identifier the caller fills with <see cref="SqlStatement.Splice"/>. Every statement names
/// its parameters (<c>@name</c>); one written with <c>$1</c> is refused at load.
/// </remarks>
internal sealed partial class SqlCatalog
{
    private const string Prefix = "JobPlatform.Sql.";
    private const string SchemaPlaceholder = "{{schema}}";
    private static readonly ConcurrentDictionary<string, SqlCatalog> BySchema = new();

    private readonly Dictionary<string, SqlStatement> _statements;

    private SqlCatalog(string schema)
    {
        Schema = schema;
        var quoted = "\"" + schema + "\"";
        _statements = ReadAll("Queries/").ToDictionary(p => p.Name, p => Load(p.Name, p.Text, quoted));
        Migrations = ReadAll("Migrations/")
            .Select(p => Migration.Parse(p.Name, p.Text.Replace(SchemaPlaceholder, quoted)))
            .OrderBy(m => m.Version)
            .ToList();
        InsertChannel = schema + "_insert";
        CancelChannel = schema + "_cancel";
        HandOffChannelPrefix = schema + "_h";
    }

    /// <summary>The schema every statement of this catalog targets.</summary>
    public string Schema { get; }

    /// <summary>NOTIFY channel that wakes workers of a queue (payload: the queue name).</summary>
    public string InsertChannel { get; }

    /// <summary>NOTIFY channel that asks workers to cancel a running job (payload: the job id).</summary>
    public string CancelChannel { get; }

    /// <summary>Start of each worker's hand-off channel (see <c>HandOffReceiver.ChannelOf</c>): at most 50 characters, so
    /// that with 12 hex digits of the worker id's MD5 the name stays within PostgreSQL's 63.</summary>
    public string HandOffChannelPrefix { get; }

    /// <summary>Numbered schema migrations, in order.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Every statement, by name.</summary>
    public IReadOnlyCollection<SqlStatement> Statements => _statements.Values;

    /// <summary>Gets the catalog for a schema, validating its name.</summary>
    public static SqlCatalog For(string schema) => BySchema.GetOrAdd(SchemaName.Validate(schema), s => new SqlCatalog(s));

    /// <summary>The named statement (file name without <c>.sql</c>).</summary>
    public SqlStatement Statement(string name) =>
        _statements.TryGetValue(name, out var statement) ? statement : throw new InvalidOperationException($"No SQL statement named '{name}' is embedded.");

    /// <summary>Expands the placeholders of one statement file and numbers its parameters.</summary>
    internal static SqlStatement Load(string name, string text, string quotedSchema)
    {
        var splices = new List<string>();
        var expanded = Placeholder().Replace(text, m =>
        {
            var (key, alias) = (m.Groups["name"].Value, m.Groups["alias"].Success ? m.Groups["alias"].Value : null);
            switch (key)
            {
                case "schema" when alias is null:
                    return quotedSchema;
                case "job_columns":
                    return JobRow.SelectList(alias);
                case "leased_columns":
                    return LeasedJobRow.SelectList(alias);
                case "schema":
                    throw new InvalidOperationException($"Statement '{name}' has {m.Value}: {{{{schema}}}} takes no alias.");
                default:
                    if (alias is not null)
                    {
                        throw new InvalidOperationException($"Statement '{name}' has {m.Value}: only {{{{job_columns}}}} and {{{{leased_columns}}}} take an alias.");
                    }

                    if (!splices.Contains(key))
                    {
                        splices.Add(key);
                    }

                    return m.Value;
            }
        });
        var (sql, parameters, positional) = NamedParameters.Rewrite(name, expanded);
        if (positional)
        {
            throw new InvalidOperationException($"Statement '{name}' is written with $1, $2…: name its parameters (@name) instead.");
        }

        return new SqlStatement(name, sql, parameters, splices);
    }

    private static IEnumerable<(string Name, string Text)> ReadAll(string folder) =>
        ModuleMigrator.FromResources(typeof(SqlCatalog).Assembly, Prefix + folder).Select(p => (p.Key, p.Value));

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)(?::(?<alias>[a-z_][a-z0-9_]*))?\}\}")]
    private static partial Regex Placeholder();
}
