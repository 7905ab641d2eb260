using System.Collections.Concurrent;
using JobPlatform.Core.Schema;

namespace JobPlatform.Core.Sql;

/// <summary>
/// The named SQL statements embedded in this assembly, with the schema placeholder filled in.
/// Loaded once per schema; only the storage layer runs them.
/// </summary>
internal sealed class SqlCatalog
{
    private const string Prefix = "JobPlatform.Sql.";
    private const string Placeholder = "{{schema}}";
    private static readonly ConcurrentDictionary<string, SqlCatalog> BySchema = new();

    private readonly Dictionary<string, string> _queries;

    private SqlCatalog(string schema)
    {
        Schema = schema;
        var quoted = "\"" + schema + "\"";
        _queries = ReadAll("Queries/").ToDictionary(p => p.Name, p => p.Text.Replace(Placeholder, quoted));
        Migrations = ReadAll("Migrations/")
            .Select(p => Migration.Parse(p.Name, p.Text.Replace(Placeholder, quoted)))
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

    /// <summary>Gets the catalog for a schema, validating its name.</summary>
    public static SqlCatalog For(string schema) => BySchema.GetOrAdd(SchemaName.Validate(schema), s => new SqlCatalog(s));

    /// <summary>The text of the named statement (file name without <c>.sql</c>).</summary>
    public string this[string name] =>
        _queries.TryGetValue(name, out var sql) ? sql : throw new InvalidOperationException($"No SQL statement named '{name}' is embedded.");

    private static IEnumerable<(string Name, string Text)> ReadAll(string folder) =>
        ModuleMigrator.FromResources(typeof(SqlCatalog).Assembly, Prefix + folder).Select(p => (p.Key, p.Value));
}
